// LatentTraversePanel: one slider per latent dimension (up to 32) around a base code (the
// selected sample's); moving one changes that dimension at once. For VAEs a bar chart of the KL
// per dimension marks the active ones and warns of posterior collapse.
#pragma once

#include <QWidget>
#include <vector>

#include "data/types.h"

class QLabel;
class QPushButton;
class QSlider;
class QVBoxLayout;
class LatentKlBars;

class LatentTraversePanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int MaxSliders = 32;
  static constexpr int SliderSteps = 100;      // per side
  static constexpr double RangeSpreads = 3.0;  // a slider spans ±3 spreads around the base
  static constexpr double ActiveKl = 0.01;     // nats: a dimension above this carries information

  explicit LatentTraversePanel(QWidget* parent = nullptr);

  /// The code the sliders move around, the step unit per dimension (the codes' standard
  /// deviation; the prior's 1 for VAEs) and what the base is, in words. Rebuilds the sliders when
  /// the latent size changes; `resetOffsets` puts every slider back to the base.
  void setBase(const latent::Vector& code, const Eigen::VectorXd& spread, const QString& what,
               bool resetOffsets);
  /// Mean KL per dimension of a VAE's codes; empty hides the chart (not a VAE).
  void setKl(const Eigen::VectorXd& kl);

  /// base + the sliders' offsets (latent).
  latent::Vector code() const;
  bool hasBase() const { return m_base.size() > 0; }
  int sliderCount() const { return int(m_sliders.size()); }
  QSlider* slider(int dim) const { return m_sliders.at(dim); }
  int activeDimensions() const;
  bool collapseWarningShown() const;

 signals:
  void codeChanged(const latent::Vector& code);

 private:
  void rebuildSliders(int latent);
  void updateValueLabels();

  latent::Vector m_base;
  Eigen::VectorXd m_spread;
  Eigen::VectorXd m_kl;
  std::vector<QSlider*> m_sliders;
  std::vector<QLabel*> m_values;
  QLabel* m_what = nullptr;
  QLabel* m_warning = nullptr;
  QPushButton* m_reset = nullptr;
  QVBoxLayout* m_sliderLayout = nullptr;
  LatentKlBars* m_bars = nullptr;
};
