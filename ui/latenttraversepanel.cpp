// LatentTraversePanel: the sliders, the KL bar chart and the collapse warning.
#include "latenttraversepanel.h"

#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include "latentpalette.h"

/// KL per latent dimension as bars; active dimensions (KL > ActiveKl) in colour.
class LatentKlBars : public QWidget {
 public:
  explicit LatentKlBars(QWidget* parent = nullptr) : QWidget(parent) {
    setMinimumHeight(70);
    setToolTip(QObject::tr("Mean KL divergence per latent dimension (nats). Dimensions above %1 "
                           "carry information; the others have collapsed to the prior.")
                   .arg(LatentTraversePanel::ActiveKl));
  }
  void setKl(const Eigen::VectorXd& kl) {
    m_kl = kl;
    update();
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    const int n = int(m_kl.size());
    if (n == 0) return;
    const double top = std::max(m_kl.maxCoeff(), 1e-6);
    const QRectF area = rect().adjusted(2, 14, -2, -2);
    const double w = area.width() / n;
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(rect().adjusted(2, 0, 0, 0), Qt::AlignLeft | Qt::AlignTop,
               QObject::tr("KL per dimension (max %1 nats)").arg(top, 0, 'f', 2));
    for (int d = 0; d < n; ++d) {
      const double h = area.height() * m_kl(d) / top;
      const bool active = m_kl(d) > LatentTraversePanel::ActiveKl;
      p.fillRect(QRectF(area.left() + d * w + 0.5, area.bottom() - h, std::max(1.0, w - 1), h),
                 active ? latentpalette::classColour(0) : QColor(190, 190, 190));
    }
  }

 private:
  Eigen::VectorXd m_kl;
};

LatentTraversePanel::LatentTraversePanel(QWidget* parent) : QWidget(parent) {
  m_what = new QLabel(tr("Select a sample on the map to traverse its code."), this);
  m_what->setWordWrap(true);
  m_reset = new QPushButton(tr("Reset sliders"), this);
  m_reset->setToolTip(tr("Put every dimension back to the base code"));
  m_bars = new LatentKlBars(this);
  m_bars->hide();
  m_warning = new QLabel(this);
  m_warning->setWordWrap(true);
  m_warning->setStyleSheet(QStringLiteral("color: #c62828;"));
  m_warning->hide();
  auto* sliders = new QWidget;
  m_sliderLayout = new QVBoxLayout(sliders);
  m_sliderLayout->setSpacing(1);
  m_sliderLayout->addStretch();
  auto* scroll = new QScrollArea(this);
  scroll->setWidget(sliders);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_what);
  layout->addWidget(m_bars);
  layout->addWidget(m_warning);
  layout->addWidget(scroll, 1);
  layout->addWidget(m_reset, 0, Qt::AlignRight);
  connect(m_reset, &QPushButton::clicked, this, [this] {
    for (QSlider* s : m_sliders) {
      const QSignalBlocker block(s);
      s->setValue(0);
    }
    updateValueLabels();
    if (hasBase()) emit codeChanged(code());
  });
}

void LatentTraversePanel::rebuildSliders(int latent) {
  for (QSlider* s : m_sliders) delete s->parentWidget();
  m_sliders.clear();
  m_values.clear();
  const int shown = std::min(latent, MaxSliders);
  for (int d = 0; d < shown; ++d) {
    auto* row = new QWidget;
    auto* grid = new QGridLayout(row);
    grid->setContentsMargins(0, 0, 0, 0);
    auto* slider = new QSlider(Qt::Horizontal, row);
    slider->setRange(-SliderSteps, SliderSteps);
    slider->setToolTip(tr("Latent dimension %1: ±%2 standard deviations around the base code")
                           .arg(d)
                           .arg(RangeSpreads));
    auto* value = new QLabel(row);
    value->setMinimumWidth(48);
    grid->addWidget(new QLabel(QStringLiteral("z%1").arg(d), row), 0, 0);
    grid->addWidget(slider, 0, 1);
    grid->addWidget(value, 0, 2);
    m_sliderLayout->insertWidget(d, row);
    m_sliders.push_back(slider);
    m_values.push_back(value);
    connect(slider, &QSlider::valueChanged, this, [this] {
      updateValueLabels();
      emit codeChanged(code());
    });
  }
}

void LatentTraversePanel::setBase(const latent::Vector& code, const Eigen::VectorXd& spread,
                                  const QString& what, bool resetOffsets) {
  if (code.size() != m_base.size()) rebuildSliders(int(code.size()));
  m_base = code;
  m_spread = spread.size() == code.size() ? spread : Eigen::VectorXd::Ones(code.size());
  m_what->setText(
      code.size() > MaxSliders
          ? tr("%1 (first %2 of %3 dimensions)").arg(what).arg(MaxSliders).arg(code.size())
          : what);
  if (resetOffsets)
    for (QSlider* s : m_sliders) {
      const QSignalBlocker block(s);
      s->setValue(0);
    }
  updateValueLabels();
}

void LatentTraversePanel::setKl(const Eigen::VectorXd& kl) {
  m_kl = kl;
  m_bars->setVisible(kl.size() > 0);
  m_bars->setKl(kl);
  const int active = activeDimensions(), n = int(kl.size());
  // "Almost none": fewer than one in five dimensions, or none at all.
  const bool collapse = n > 0 && (active == 0 || 5 * active < n);
  m_warning->setVisible(collapse);
  m_warning->setText(tr("Posterior collapse? Only %1 of %2 latent dimensions are active (KL > %3 "
                        "nats): the decoder ignores the others.")
                         .arg(active)
                         .arg(n)
                         .arg(ActiveKl));
}

latent::Vector LatentTraversePanel::code() const {
  latent::Vector z = m_base;
  for (int d = 0; d < int(m_sliders.size()) && d < z.size(); ++d)
    z(d) += float(RangeSpreads * m_spread(d) * m_sliders[d]->value() / SliderSteps);
  return z;
}

int LatentTraversePanel::activeDimensions() const { return int((m_kl.array() > ActiveKl).count()); }
bool LatentTraversePanel::collapseWarningShown() const { return !m_warning->isHidden(); }

void LatentTraversePanel::updateValueLabels() {
  const latent::Vector z = code();
  for (size_t d = 0; d < m_values.size(); ++d)
    m_values[d]->setText(QString::number(z(Eigen::Index(d)), 'f', 2));
}
