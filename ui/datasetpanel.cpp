// DatasetPanel: summary text, per-class counts and grayscale thumbnails of the first samples.
#include "datasetpanel.h"

#include <QGridLayout>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <QVBoxLayout>
#include <algorithm>
#include <map>

#include "data/dataset.h"
#include "io/loadoptions.h"
#include "sampleimage.h"

namespace {

constexpr int ThumbnailColumns = 4;

QString classSummary(const latent::Dataset& d) {
  if (!d.hasLabels()) return QObject::tr("none (unlabelled)");
  std::map<int, int> counts;
  for (int label : d.labels) ++counts[label];
  QStringList parts;
  for (const auto& [label, count] : counts) {
    const bool named = label < int(d.classNames.size());
    const QString name =
        named ? QString::fromStdString(d.classNames[label]) : QString::number(label);
    parts << QStringLiteral("%1 (%2)").arg(name, QLocale().toString(count));
  }
  return QObject::tr("%1 — %2").arg(counts.size()).arg(parts.join(QStringLiteral(", ")));
}

}  // namespace

DatasetPanel::DatasetPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_summary = new QLabel(this);
  m_summary->setWordWrap(true);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_error = new QLabel(this);
  m_error->setWordWrap(true);
  m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
  m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_error->hide();
  m_report = new QLabel(this);
  m_report->setWordWrap(true);
  m_report->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_report->hide();
  m_thumbnails = new QGridLayout;
  m_thumbnails->setSpacing(2);
  layout->addWidget(m_summary);
  layout->addWidget(m_report);
  layout->addLayout(m_thumbnails);
  layout->addWidget(m_error);
  auto* hint = new QLabel(tr("Drop IDX, CSV, NumPy files or image folders on the window, or use "
                             "File ▸ Open."),
                          this);
  hint->setWordWrap(true);
  hint->setStyleSheet(QStringLiteral("color: palette(mid);"));
  layout->addWidget(hint);
  updateSummary();
}

void DatasetPanel::setDataset(std::shared_ptr<const latent::Dataset> dataset) {
  m_dataset = std::move(dataset);
  clearError();
  m_report->clear();
  m_report->setToolTip({});
  m_report->hide();
  updateSummary();
  updateThumbnails();
}

void DatasetPanel::showError(const QString& message) {
  m_error->setText(message);
  m_error->show();
}

void DatasetPanel::clearError() {
  m_error->clear();
  m_error->hide();
}

void DatasetPanel::updateSummary() {
  if (!m_dataset) {
    m_summary->setText(tr("<b>No dataset</b>"));
    return;
  }
  const latent::Dataset& d = *m_dataset;
  const bool empty = d.count() == 0;
  const QString range = empty ? tr("—")
                              : QStringLiteral("%1 … %2")
                                    .arg(double(d.samples.minCoeff()), 0, 'g', 4)
                                    .arg(double(d.samples.maxCoeff()), 0, 'g', 4);
  m_summary->setText(tr("<b>%1</b><br>%2 samples · %3<br>values %4 (%5)<br>classes %6")
                         .arg(QString::fromStdString(d.name).toHtmlEscaped())
                         .arg(QLocale().toString(d.count()))
                         .arg(QString::fromStdString(d.shape.describe()))
                         .arg(range)
                         .arg(QString::fromStdString(d.normalisation.describe()))
                         .arg(classSummary(d).toHtmlEscaped()));
}

void DatasetPanel::updateThumbnails() {
  while (QLayoutItem* item = m_thumbnails->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  if (!m_dataset || m_dataset->shape.kind == latent::Shape::Kind::Tabular) return;
  const int n = std::min(ThumbnailCount, m_dataset->count());
  for (int i = 0; i < n; ++i) {
    const QImage image = sampleimage::picture(m_dataset->shape, m_dataset->samples.col(i).data(),
                                              QSize(ThumbnailSize, ThumbnailSize));
    auto* label = new QLabel(this);
    label->setPixmap(QPixmap::fromImage(image));
    if (m_dataset->hasLabels() && m_dataset->labels[i] < int(m_dataset->classNames.size()))
      label->setToolTip(QString::fromStdString(m_dataset->classNames[m_dataset->labels[i]]));
    m_thumbnails->addWidget(label, i / ThumbnailColumns, i % ThumbnailColumns);
  }
}

void DatasetPanel::setLoadReport(const latent::LoadReport& report) {
  QString text = tr("read as %1").arg(QString::fromStdString(report.format).toHtmlEscaped());
  for (const std::string& warning : report.warnings())
    text += QStringLiteral("<br><span style='color:#b26a00'>%1</span>")
                .arg(QString::fromStdString(warning).toHtmlEscaped());
  QStringList notes;
  for (const std::string& note : report.notes) notes << QString::fromStdString(note);
  m_report->setText(text);
  m_report->setToolTip(notes.join(QLatin1Char('\n')));
  m_report->show();
}

QString DatasetPanel::reportText() const {
  return m_report->isHidden() ? QString() : m_report->text();
}

QString DatasetPanel::summaryText() const { return m_summary->text(); }
QString DatasetPanel::errorText() const {
  return m_error->isHidden() ? QString() : m_error->text();
}
int DatasetPanel::thumbnailCount() const { return m_thumbnails->count(); }
