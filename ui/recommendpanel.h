// RecommendPanel: the Recommendations tab. For users × items interaction data: pick a user, see
// their known items and the model's top-N unseen items with scores, and the model's hit rate@10
// and NDCG@10 under leave-one-out beside the most-popular baseline. Computed off the GUI thread
// from the latest snapshot; the newest request wins.
#pragma once

#include <QFutureWatcher>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "analysis/recommend.h"
#include "train/snapshot.h"

class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;
namespace latent {
struct Dataset;
}

/// What one worker job computes from: immutable values only.
struct RecommendRequest {
  std::shared_ptr<const latent::ModelSnapshot> snapshot;
  std::shared_ptr<const latent::Dataset> data;
  std::shared_ptr<const std::vector<int>> evaluationUsers;  // columns of data (not trained on)
  int user = 0;
  int top = 10;
  bool evaluate = true;  // false: the report of this snapshot is already shown
};

struct RecommendResult {
  RecommendRequest request;
  std::vector<int> known;                       // the user's items
  std::vector<latent::ScoredItem> recommended;  // best first
  latent::Vector popularity;                    // users per item, over the whole data
  std::optional<latent::RecommendationReport> report;
  QString error;
};

/// The job: runs on a worker (and in tests). Throws nothing; errors go in `error`.
RecommendResult computeRecommendations(const RecommendRequest& request);

/// Thread contract: GUI thread only; the job reads shared_ptr<const> values and touches no
/// QObject.
class RecommendPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int K = 10;                // hit rate and NDCG cut-off
  static constexpr unsigned HoldOutSeed = 1;  // which interaction each user hides
  static constexpr int DefaultTop = 10;

  explicit RecommendPanel(QWidget* parent = nullptr);
  ~RecommendPanel() override;

  /// The whole data set and the users to evaluate on (the validation split: never trained on).
  /// Data that is not 0/1 users × items makes the tab say so.
  void setData(std::shared_ptr<const latent::Dataset> data, std::vector<int> evaluationUsers);
  void setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot);
  void setUser(int user);

  // For tests and the screenshot: the widgets and what they show.
  QSpinBox* userSpin() const { return m_user; }
  QSpinBox* topSpin() const { return m_top; }
  QTableWidget* recommendationTable() const { return m_recommended; }
  QListWidget* knownList() const { return m_known; }
  QTableWidget* metricsTable() const { return m_metrics; }
  QPushButton* suggestButton() const { return m_suggest; }
  QString statusText() const;
  /// The last result shown (null before the first).
  const RecommendResult* shownResult() const { return m_shown ? &*m_shown : nullptr; }

 signals:
  /// A result is on screen (after every finished job that was not stale).
  void updated();
  /// The user asked for the settings that suit interaction data (latent::recommenderSpec).
  void suggestedSpecRequested(const latent::ModelSpec& spec);

 private:
  void buildLayout();
  void requestUpdate(bool evaluate);
  void startNext();
  void onFinished();
  void showResult(const RecommendResult& result);
  void showMetrics(const latent::RecommendationReport& report);
  void setStatus(const QString& text);
  bool usable() const;

  QLabel* m_status = nullptr;
  QPushButton* m_suggest = nullptr;  // shown while interaction data waits for a model
  QSpinBox* m_user = nullptr;
  QSpinBox* m_top = nullptr;
  QLabel* m_userSummary = nullptr;
  QListWidget* m_known = nullptr;
  QTableWidget* m_recommended = nullptr;
  QTableWidget* m_metrics = nullptr;
  QLabel* m_metricsNote = nullptr;

  std::shared_ptr<const latent::Dataset> m_data;
  std::shared_ptr<const std::vector<int>> m_evaluationUsers;
  std::shared_ptr<const latent::ModelSnapshot> m_snapshot;
  std::shared_ptr<const latent::ModelSnapshot> m_evaluated;  // whose report is shown
  bool m_interactions = false;

  QFutureWatcher<RecommendResult> m_watcher;
  std::optional<RecommendRequest> m_pending;  // at most one waits: the newest
  bool m_running = false;
  long long m_generation = 0;  // bumped by new data: older results are stale
  long long m_runningGeneration = 0;
  std::optional<RecommendResult> m_shown;
};
