// DatasetPanel: what the current dataset is (name, size, shape, value range, classes) with a row
// of sample thumbnails, and where a failed load says why.
#pragma once

#include <QWidget>
#include <memory>

class QGridLayout;
class QLabel;
namespace latent {
struct Dataset;
struct LoadReport;
}  // namespace latent

/// Read-only view of a dataset; loading is the controller's job (MainWindow), which calls
/// setDataset on success and showError on failure (the previous dataset stays shown).
class DatasetPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int ThumbnailCount = 8;
  static constexpr int ThumbnailSize = 56;  // pixels on screen: 28×28 images shown at 2×

  explicit DatasetPanel(QWidget* parent = nullptr);

  /// Shows `dataset`; a report from an earlier load is cleared.
  void setDataset(std::shared_ptr<const latent::Dataset> dataset);
  /// How the current dataset was read: the format, and in orange what was dropped, filled or
  /// skipped (the loader's notes in the tooltip).
  void setLoadReport(const latent::LoadReport& report);
  std::shared_ptr<const latent::Dataset> dataset() const { return m_dataset; }
  /// Shows `message` in red under the summary until the next successful setDataset.
  void showError(const QString& message);
  void clearError();

  // For tests.
  QString summaryText() const;
  QString errorText() const;
  QString reportText() const;
  int thumbnailCount() const;

 private:
  void updateSummary();
  void updateThumbnails();

  std::shared_ptr<const latent::Dataset> m_dataset;
  QLabel* m_summary = nullptr;
  QLabel* m_error = nullptr;
  QLabel* m_report = nullptr;
  QGridLayout* m_thumbnails = nullptr;
};
