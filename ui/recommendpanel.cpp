// RecommendPanel: layout, the latest-wins worker hand-over and the display of one result.
#include "recommendpanel.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "data/dataset.h"
#include "data/useritem.h"
#include "guithread.h"
#include "models/model.h"

RecommendResult computeRecommendations(const RecommendRequest& request) {
  RecommendResult r;
  r.request = request;
  try {
    const latent::Dataset& data = *request.data;
    const latent::Model& model = *request.snapshot->model;
    const latent::Vector known = data.samples.col(request.user);
    for (Eigen::Index i = 0; i < known.size(); ++i)
      if (known(i) != 0) r.known.push_back(int(i));
    const latent::Matrix scores = latent::recommendationScores(model, known);
    r.recommended = latent::topUnseen(scores.col(0), known, request.top);
    r.popularity = latent::itemPopularity(data.samples);
    if (request.evaluate)
      r.report = latent::evaluateLeaveOneOut(model, data.samples, *request.evaluationUsers,
                                             RecommendPanel::HoldOutSeed, RecommendPanel::K);
  } catch (const std::exception& e) {
    r.error = QString::fromUtf8(e.what());
  }
  return r;
}

namespace {

QTableWidgetItem* cell(const QString& text, Qt::Alignment align = Qt::AlignRight) {
  auto* item = new QTableWidgetItem(text);
  item->setTextAlignment(align | Qt::AlignVCenter);
  item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
  return item;
}

QTableWidget* makeTable(const QStringList& headers) {
  auto* table = new QTableWidget(0, int(headers.size()));
  table->setHorizontalHeaderLabels(headers);
  table->verticalHeader()->hide();
  table->horizontalHeader()->setStretchLastSection(true);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  return table;
}

QString itemName(int item) { return QObject::tr("item %1").arg(item); }

}  // namespace

RecommendPanel::RecommendPanel(QWidget* parent) : QWidget(parent) {
  buildLayout();
  connect(&m_watcher, &QFutureWatcherBase::finished, this, &RecommendPanel::onFinished);
  connect(m_user, &QSpinBox::valueChanged, this, [this] { requestUpdate(false); });
  connect(m_top, &QSpinBox::valueChanged, this, [this] { requestUpdate(false); });
  setData(nullptr, {});
}

RecommendPanel::~RecommendPanel() {
  m_watcher.disconnect(this);
  m_watcher.waitForFinished();  // one short job at most: a few hundred users
}

void RecommendPanel::buildLayout() {
  m_status = new QLabel;
  m_status->setWordWrap(true);
  m_suggest = new QPushButton(tr("Use suggested settings"));
  m_suggest->setToolTip(
      tr("Sets the model panel to a collaborative denoising autoencoder: input dropout 0.5, BCE "
         "loss, 64 → 16 units, 30 epochs. Press Train afterwards."));
  connect(m_suggest, &QPushButton::clicked, this,
          [this] { emit suggestedSpecRequested(latent::recommenderSpec()); });
  auto* statusRow = new QHBoxLayout;
  statusRow->addWidget(m_status, 1);
  statusRow->addWidget(m_suggest, 0, Qt::AlignTop);
  m_user = new QSpinBox;
  m_user->setToolTip(tr("The user (row of the data, from 0) to recommend to"));
  m_top = new QSpinBox;
  m_top->setRange(1, 100);
  m_top->setValue(DefaultTop);
  m_top->setToolTip(tr("How many unseen items to recommend"));
  m_userSummary = new QLabel;
  auto* pick = new QHBoxLayout;
  pick->addWidget(new QLabel(tr("User")));
  pick->addWidget(m_user);
  pick->addSpacing(16);
  pick->addWidget(new QLabel(tr("Recommend")));
  pick->addWidget(m_top);
  pick->addWidget(new QLabel(tr("items")));
  pick->addSpacing(16);
  pick->addWidget(m_userSummary, 1);

  m_known = new QListWidget;
  m_known->setToolTip(tr("Items this user has interacted with: never recommended again"));
  auto* knownBox = new QGroupBox(tr("Known items"));
  (new QVBoxLayout(knownBox))->addWidget(m_known);
  m_recommended = makeTable({tr("Rank"), tr("Item"), tr("Score"), tr("Chosen by")});
  m_recommended->setToolTip(
      tr("Score: the model's reconstruction of the user's known items, highest first, known "
         "items left out: what the autoencoder thinks belongs with them. Chosen by: how many "
         "users have the item (what the most-popular baseline ranks by)."));
  auto* recommendedBox = new QGroupBox(tr("Recommended (unseen items, highest score first)"));
  (new QVBoxLayout(recommendedBox))->addWidget(m_recommended);
  auto* lists = new QHBoxLayout;
  lists->addWidget(knownBox, 1);
  lists->addWidget(recommendedBox, 2);

  m_metrics = makeTable({tr("Ranking"), tr("Hit rate@%1").arg(K), tr("NDCG@%1").arg(K)});
  m_metrics->setRowCount(2);
  m_metrics->setItem(0, 0, cell(tr("Autoencoder"), Qt::AlignLeft));
  m_metrics->setItem(1, 0, cell(tr("Most popular"), Qt::AlignLeft));
  m_metrics->setMaximumHeight(m_metrics->horizontalHeader()->height() + 2 * 30 + 4);
  m_metrics->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  m_metricsNote = new QLabel;
  m_metricsNote->setWordWrap(true);
  auto* metricsBox = new QGroupBox(tr("Leave-one-out evaluation"));
  auto* metricsLayout = new QVBoxLayout(metricsBox);
  metricsLayout->addWidget(m_metrics);
  metricsLayout->addWidget(m_metricsNote);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(statusRow);
  layout->addLayout(pick);
  layout->addLayout(lists, 1);
  layout->addWidget(metricsBox);
}

QString RecommendPanel::statusText() const { return m_status->text(); }

void RecommendPanel::setStatus(const QString& text) {
  m_status->setText(text);
  m_status->setVisible(!text.isEmpty());
}

bool RecommendPanel::usable() const {
  return m_interactions && m_snapshot && m_snapshot->model &&
         m_snapshot->model->inputSize() == m_data->features();
}

void RecommendPanel::setData(std::shared_ptr<const latent::Dataset> data,
                             std::vector<int> evaluationUsers) {
  m_data = std::move(data);
  m_evaluationUsers = std::make_shared<const std::vector<int>>(std::move(evaluationUsers));
  m_interactions = m_data && latent::holdsInteractions(*m_data);
  m_evaluated.reset();
  m_shown.reset();
  ++m_generation;  // results for the previous data are stale
  m_pending.reset();
  m_user->blockSignals(true);
  m_user->setRange(0, m_interactions ? m_data->count() - 1 : 0);
  m_user->blockSignals(false);
  m_known->clear();
  m_recommended->setRowCount(0);
  for (int row = 0; row < 2; ++row) {
    m_metrics->setItem(row, 1, cell(QStringLiteral("–")));
    m_metrics->setItem(row, 2, cell(QStringLiteral("–")));
  }
  m_metricsNote->clear();
  m_userSummary->clear();
  requestUpdate(true);
}

void RecommendPanel::setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot) {
  LATENT_ASSERT_GUI_THREAD();
  m_snapshot = std::move(snapshot);
  requestUpdate(true);
}

void RecommendPanel::setUser(int user) { m_user->setValue(user); }

void RecommendPanel::requestUpdate(bool evaluate) {
  const bool enabled = m_interactions;
  m_suggest->setVisible(false);
  m_user->setEnabled(enabled);
  m_top->setEnabled(enabled);
  if (!m_data) return setStatus(tr("No dataset yet."));
  if (!m_interactions)
    return setStatus(
        tr("Recommendations need users × items interactions: a table of 0/1 values, one user "
           "per row (File ▸ Built-in datasets ▸ User–item, or a 0/1 CSV or .npy file; for "
           "ratings, latentlab-cli --interactions binarises them). This dataset is %1 with "
           "other values.")
            .arg(QString::fromStdString(m_data->shape.describe())));
  m_suggest->setVisible(!m_snapshot || !m_snapshot->model || !usable());
  if (!m_snapshot || !m_snapshot->model)
    return setStatus(tr("Train a model on these %1 users × %2 items to see recommendations (a "
                        "denoising AE with dropout noise and BCE loss suits them: Use suggested "
                        "settings, then Train).")
                         .arg(m_data->count())
                         .arg(m_data->features()));
  if (!usable())
    return setStatus(tr("The model takes %1 values per sample but this data has %2 items: train "
                        "on this dataset first.")
                         .arg(m_snapshot->model->inputSize())
                         .arg(m_data->features()));
  setStatus(QString());
  RecommendRequest r{m_snapshot,      m_data,         m_evaluationUsers,
                     m_user->value(), m_top->value(), evaluate || m_evaluated != m_snapshot};
  m_pending = std::move(r);
  if (!m_running) startNext();
}

void RecommendPanel::startNext() {
  if (!m_pending || m_running) return;
  const RecommendRequest request = std::move(*m_pending);
  m_pending.reset();
  m_running = true;
  m_runningGeneration = m_generation;
  m_watcher.setFuture(QtConcurrent::run([request] { return computeRecommendations(request); }));
}

void RecommendPanel::onFinished() {
  LATENT_ASSERT_GUI_THREAD();
  m_running = false;
  const RecommendResult result = m_watcher.result();
  // A newer request waits (another user, a newer snapshot): it replaces this one, which would
  // only flash on screen. Results for data no longer shown are dropped.
  if (m_runningGeneration == m_generation && !m_pending) showResult(result);
  startNext();
}

void RecommendPanel::showResult(const RecommendResult& result) {
  if (!result.error.isEmpty()) return setStatus(tr("Cannot recommend: %1").arg(result.error));
  m_shown = result;
  const int user = result.request.user;
  const latent::Dataset& data = *result.request.data;
  QString group;
  if (data.hasLabels()) {
    const int label = data.labels[size_t(user)];
    group = label < int(data.classNames.size()) ? QString::fromStdString(data.classNames[label])
                                                : tr("class %1").arg(label);
  }
  m_userSummary->setText(tr("%1 known items%2 · model at epoch %3")
                             .arg(result.known.size())
                             .arg(group.isEmpty() ? QString() : QStringLiteral(" · ") + group)
                             .arg(result.request.snapshot->epoch));
  m_known->clear();
  for (int item : result.known) m_known->addItem(itemName(item));
  m_recommended->setRowCount(int(result.recommended.size()));
  for (int row = 0; row < int(result.recommended.size()); ++row) {
    const latent::ScoredItem& s = result.recommended[size_t(row)];
    m_recommended->setItem(row, 0, cell(QString::number(row + 1)));
    m_recommended->setItem(row, 1, cell(itemName(s.item), Qt::AlignLeft));
    m_recommended->setItem(row, 2, cell(QString::number(s.score, 'f', 4)));
    m_recommended->setItem(row, 3, cell(tr("%1 users").arg(result.popularity(s.item))));
  }
  if (result.report) {
    m_evaluated = result.request.snapshot;
    showMetrics(*result.report);
  }
  emit updated();
}

void RecommendPanel::showMetrics(const latent::RecommendationReport& report) {
  const auto number = [](double v) { return QString::number(v, 'f', 3); };
  m_metrics->setItem(0, 1, cell(number(report.model.hitRate)));
  m_metrics->setItem(0, 2, cell(number(report.model.ndcg)));
  m_metrics->setItem(1, 1, cell(number(report.popular.hitRate)));
  m_metrics->setItem(1, 2, cell(number(report.popular.ndcg)));
  m_metricsNote->setText(
      tr("One interaction hidden per validation user (%1 users the model was not trained on); "
         "the hidden item's rank among the user's unseen items (of %2) decides: a hit when in "
         "the top %3, NDCG 1/log2(rank + 1). Most popular ranks by how many users chose an item.")
          .arg(report.model.users)
          .arg(report.items)
          .arg(K));
}
