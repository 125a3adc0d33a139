// ClusterPanel: the "Clusters" tab. k-means on the model's codes of the validation samples, with
// the silhouette score and (with labels) the adjusted Rand index against the classes; the
// clusters can colour the latent map; the codes of every sample export to CSV or .npy.
#pragma once

#include <QWidget>
#include <memory>
#include <vector>

#include "data/types.h"
#include "latestjob.h"

class LatentMapView;
class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;
namespace latent {
struct Dataset;
struct ModelSnapshot;
}  // namespace latent

/// Reads snapshots and datasets; owns no training state. Encoding, k-means and the scores run on
/// a worker (LatestJob, latest wins).
class ClusterPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr unsigned KMeansSeed = 1;
  static constexpr int MaxSilhouetteSamples = 2000;  // the silhouette is O(n²): a subsample
  static constexpr int DefaultK = 8;                 // without labels

  struct Result {
    std::shared_ptr<const latent::Dataset> data;  // the samples clustered
    long long step = -1;                          // the snapshot's optimizer step
    int k = 0;
    std::vector<int> assignment;  // one cluster per sample of data
    double silhouette = 0;
    double adjustedRand = 0;  // NaN without labels
    int silhouetteSamples = 0;
    latent::Matrix points;  // 2 × n: the codes' two principal directions, for the preview map
    QString error;          // set when clustering failed
  };

  explicit ClusterPanel(QWidget* parent = nullptr);
  ~ClusterPanel() override;

  /// `all` is what codes export; `validation` what is clustered. Clears the result.
  void setData(std::shared_ptr<const latent::Dataset> all,
               std::shared_ptr<const latent::Dataset> validation);
  void setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot);

  /// The samples the silhouette is computed on when there are n: all of them up to
  /// MaxSilhouetteSamples, else that many evenly spaced.
  static std::vector<int> silhouetteSample(int n);

  /// Encodes every sample of the data with the current snapshot (on a worker) and writes codes
  /// and labels to `path` (.csv or .npy, atomically); `exported` reports the outcome (the
  /// dialog's variant also shows a failure in a message box).
  void exportCodes(const QString& path);
  void exportCodesWithDialog();

  // Parts and state, for tests.
  QSpinBox* kSpin() const { return m_k; }
  QPushButton* runButton() const { return m_run; }
  QCheckBox* colourMapCheck() const { return m_colourMap; }
  QPushButton* exportButton() const { return m_export; }
  QLabel* silhouetteLabel() const { return m_silhouette; }
  QLabel* adjustedRandLabel() const { return m_adjustedRand; }
  LatentMapView* map() const { return m_map; }
  const Result& shownResult() const { return m_shown; }
  bool isBusy() const { return m_job.isBusy(); }
  std::shared_ptr<const latent::ModelSnapshot> snapshot() const { return m_snapshot; }

 signals:
  /// The clusters the latent map should show (empty: the class colours).
  void mapColouringChanged(std::shared_ptr<const latent::Dataset> data, std::vector<int> clusters);
  void resultShown();
  /// A code export finished: ok, and the path or the error in words.
  void exported(bool ok, const QString& message);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void run();
  void showResult(Result result);
  void emitColouring();
  void startExport(const QString& path);
  void updateStatus();

  QSpinBox* m_k = nullptr;
  QPushButton* m_run = nullptr;
  QCheckBox* m_colourMap = nullptr;
  QPushButton* m_export = nullptr;
  QLabel* m_silhouette = nullptr;
  QLabel* m_adjustedRand = nullptr;
  QLabel* m_status = nullptr;
  LatentMapView* m_map = nullptr;  // the clusters on the codes' 2D PCA

  std::shared_ptr<const latent::Dataset> m_all, m_validation;
  std::shared_ptr<const latent::ModelSnapshot> m_snapshot;
  Result m_shown;
  LatestJob<Result> m_job;
  LatestJob<QString> m_exportJob;  // the error, empty on success
  QString m_exportPath;
  bool m_exportFromDialog = false;
};
