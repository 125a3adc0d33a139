// DenoisingPanel: the "Denoising" tab. Pick a noise kind and level; validation samples are shown
// clean | noisy | denoised with PSNR(noisy, clean) and PSNR(denoised, clean) under each, and both
// averaged over the whole validation set, for the current model snapshot.
#pragma once

#include <QImage>
#include <QWidget>
#include <memory>
#include <vector>

#include "latestjob.h"
#include "models/modelspec.h"

class QComboBox;
class QGridLayout;
class QLabel;
class QSlider;
namespace latent {
struct Dataset;
struct ModelSnapshot;
}  // namespace latent

/// Reads snapshots and the validation set; owns no training state. Every measurement runs on a
/// worker (LatestJob): moving the slider or a new snapshot re-runs it, latest wins, and it runs
/// only while the tab is visible (a hidden tab catches up when shown).
class DenoisingPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int GridSamples = 10;    // columns of the clean | noisy | denoised grid
  static constexpr unsigned NoiseSeed = 7;  // the same noisy samples for every level and model
  static constexpr int SliderSteps = 90;    // level = slider value / 100: σ or p up to 0.9
  static constexpr int MaxSamples = 10000;  // averages over at most this many validation samples

  /// What one run measured (also read by tests).
  struct Result {
    latent::NoiseSpec noise;
    long long step = -1;  // the snapshot's optimizer step
    int samples = 0;      // how many validation samples the averages cover
    double peak = 1;
    double meanPsnrNoisy = 0, meanPsnrDenoised = 0;  // over the finite values
    int unchangedNoisy = 0;  // samples the noise left unchanged (∞ dB), not in the mean
    std::vector<double> psnrNoisy, psnrDenoised;  // the grid's samples
    std::vector<QImage> clean, noisy, denoised;   // the grid's samples
    QString error;                                // set when the measurement failed
  };

  explicit DenoisingPanel(QWidget* parent = nullptr);
  ~DenoisingPanel() override;

  /// The samples measured (the validation part of the data); clears the results.
  void setData(std::shared_ptr<const latent::Dataset> validation);
  void setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot);

  /// The noise the controls describe.
  latent::NoiseSpec noise() const;

  // Parts and state, for tests.
  QComboBox* kindBox() const { return m_kind; }
  QSlider* levelSlider() const { return m_level; }
  QLabel* averageLabel() const { return m_average; }
  QLabel* modelNoteLabel() const { return m_modelNote; }
  /// The PSNR shown under grid sample `i`: of the noisy (false) or denoised (true) version.
  QLabel* psnrLabel(int i, bool denoised) const;
  const Result& shownResult() const { return m_shown; }
  std::shared_ptr<const latent::ModelSnapshot> snapshot() const { return m_snapshot; }
  std::shared_ptr<const latent::Dataset> data() const { return m_data; }
  bool isBusy() const { return m_job.isBusy(); }

  /// "23.41 dB", "∞ dB" when identical: how every PSNR here is written.
  static QString formatPsnr(double db);

 signals:
  /// A new result is on screen.
  void resultShown();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  QWidget* buildControls();
  QWidget* buildGrid();
  void requestRun();
  void showResult(Result result);
  void updateLevelText();
  void updateModelNote();
  void adoptTrainingNoise();

  QComboBox* m_kind = nullptr;
  QSlider* m_level = nullptr;
  QLabel* m_levelText = nullptr;
  QLabel* m_modelNote = nullptr;
  QLabel* m_average = nullptr;
  QGridLayout* m_grid = nullptr;
  std::vector<QLabel*> m_images;  // 3 rows × GridSamples
  std::vector<QLabel*> m_psnr;    // 2 rows × GridSamples

  std::shared_ptr<const latent::Dataset> m_data;
  std::shared_ptr<const latent::ModelSnapshot> m_snapshot;
  latent::NoiseSpec m_lastTrainingNoise;  // of the last model seen, to follow a new run's noise
  bool m_dirty = false;                   // a run is due once the tab is visible
  Result m_shown;
  LatestJob<Result> m_job;
};
