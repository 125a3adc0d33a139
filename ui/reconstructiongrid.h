// ReconstructionGrid: a fixed set of validation samples shown as input | noisy input (denoising) |
// reconstruction | per-pixel error, refreshed from the latest model snapshot while training.
#pragma once

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QImage>
#include <QWidget>
#include <memory>
#include <vector>

#include "data/dataset.h"
#include "models/modelspec.h"

class QTimer;
namespace latent {
struct ModelSnapshot;
}

/// The reconstructions are computed on a worker thread from an immutable snapshot; a newer
/// snapshot arriving meanwhile replaces any pending one (latest wins), and refreshes are spaced at
/// least MinRefreshMs apart, so a fast run costs at most ~4 small jobs a second.
class ReconstructionGrid : public QWidget {
  Q_OBJECT

 public:
  enum class Row { Input, Noisy, Reconstruction, Error };
  static constexpr int SampleCount = 8;
  static constexpr int MinRefreshMs = 250;
  static constexpr int CellSize = 76;
  static constexpr int NoiseSeed = 12345;  // the noisy row stays the same picture between refreshes

  struct Cells {
    std::vector<QImage> noisy, reconstruction, error;  // one per sample (noisy empty when clean)
    std::vector<double> mse;                           // per sample, on the data's values
    long long step = -1;                               // optimizer step of the snapshot shown
  };

  explicit ReconstructionGrid(QWidget* parent = nullptr);
  ~ReconstructionGrid() override;

  /// Shows the first SampleCount samples of `data` (the validation set), for models of `spec`;
  /// clears the reconstructions until the next snapshot.
  void setSamples(std::shared_ptr<const latent::Dataset> data, const latent::ModelSpec& spec);
  /// Reconstructs the samples with the snapshot's model (throttled, on a worker).
  void setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot);

  // For tests and the enlarged view.
  int sampleCount() const;
  bool showsNoisyRow() const;
  QImage cell(Row row, int sample) const;
  double sampleError(int sample) const;  // NaN before the first reconstruction
  long long shownStep() const { return m_cells.step; }
  int refreshCount() const { return m_refreshes; }
  QSize sizeHint() const override;

 signals:
  /// A new set of reconstructions is on screen.
  void refreshed();

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  void startJobIfDue();
  void onJobFinished();
  QList<Row> visibleRows() const;
  QRect cellRect(int rowIndex, int sample) const;
  void showLarge(int sample);

  std::shared_ptr<const latent::Dataset> m_samples;  // SampleCount columns at most
  latent::ModelSpec m_spec;
  std::vector<QImage> m_inputs;
  Cells m_cells;
  std::shared_ptr<const latent::ModelSnapshot> m_pending;
  QFutureWatcher<Cells> m_job;
  QElapsedTimer m_sinceLastJob;
  QTimer* m_delay = nullptr;
  int m_generation = 0;  // bumped by setSamples; a job started for older samples is dropped
  int m_jobGeneration = 0;
  int m_refreshes = 0;
};
