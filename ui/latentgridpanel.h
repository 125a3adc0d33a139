// LatentGridPanel: one k×k image of decoded latent points: a manifold over the map's visible
// region, a manifold over the prior's quantiles (Kingma & Welling, Fig. 4), or samples from the
// prior at a temperature; with re-roll and PNG export.
#pragma once

#include <QImage>
#include <QWidget>

class DecoderImageView;
class QComboBox;
class QDoubleSpinBox;
class QPushButton;
class QSpinBox;

class LatentGridPanel : public QWidget {
  Q_OBJECT

 public:
  enum class Mode { VisibleRegion, PriorQuantiles, PriorSamples };
  static constexpr int DefaultK = 15;
  static constexpr int MaxK = 40;
  static constexpr int ExportGap = 1;

  explicit LatentGridPanel(QWidget* parent = nullptr);

  /// VAEs may use the prior modes and default to the quantile grid; other models use the region.
  void setVariational(bool vae);
  Mode mode() const;
  void setMode(Mode mode);
  int k() const;
  void setK(int k);
  float temperature() const;
  /// Seed of the prior samples; Re-roll changes it.
  unsigned seed() const { return m_seed; }

  /// The decoded tiles (k² of them, row by row) → one image.
  void setTiles(const QList<QImage>& tiles, int k);
  const QImage& image() const { return m_image; }
  int tileCount() const { return m_tileCount; }
  bool exportPng(const QString& path) const;

 signals:
  void settingsChanged();

 private:
  void exportDialog();
  void updateEnabled();

  QComboBox* m_mode = nullptr;
  QSpinBox* m_k = nullptr;
  QDoubleSpinBox* m_temperature = nullptr;
  QPushButton* m_reroll = nullptr;
  QPushButton* m_export = nullptr;
  DecoderImageView* m_view = nullptr;
  QImage m_image;
  int m_tileCount = 0;
  unsigned m_seed = 1;
  bool m_vae = false;
};
