// LatentEncoder: encodes a data set with a model snapshot off the GUI thread (QtConcurrent; the
// core's chunked encode runs on TBB inside) and hands back the map's codes and 2D projection as
// one immutable value. Latest wins: one job runs, at most one waits, and a waiting request is
// replaced by a newer one, so snapshots arriving faster than encodes never queue up.
#pragma once

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <memory>
#include <optional>
#include <stop_token>

#include "analysis/latentcodes.h"
#include "analysis/latentprojection.h"
#include "train/snapshot.h"

class QTimer;
namespace latent {
struct Dataset;
}

/// How the map shows a latent space: Auto is the two dimensions up to latent 2 and PCA above.
struct LatentProjectionChoice {
  enum class Mode { Auto, Pca, Dimensions };
  Mode mode = Mode::Auto;
  int dimX = 0, dimY = 1;
  bool operator==(const LatentProjectionChoice&) const = default;
};

struct LatentMapRequest {
  std::shared_ptr<const latent::ModelSnapshot> snapshot;
  std::shared_ptr<const latent::Dataset> data;  // the samples to encode (validation or all)
  LatentProjectionChoice projection;
};

/// Everything the map shows for one (snapshot, data, projection): immutable once built.
struct LatentMap {
  LatentMapRequest request;
  long long id = 0;           // request order: a larger id is a newer request
  latent::LatentCodes codes;  // latent × n (VAE: means and log-variances)
  latent::LatentProjection projection;
  latent::Matrix points;           // 2 × n: codes on the map
  latent::Matrix covariances;      // VAE: 3 × n projected posterior covariances; else empty
  Eigen::VectorXd klPerDimension;  // VAE: mean KL per latent dimension (nats); else empty
  Eigen::VectorXd spread;          // per latent dimension: standard deviation of the codes
  double seconds = 0;              // time to encode and project

  const latent::Model& model() const { return *request.snapshot->model; }
};

/// Builds a LatentMap on the calling thread (the worker's job; also used by tests and the bench).
/// Returns null when `stop` was requested before it finished. Throws as latent::encodeAll.
std::shared_ptr<const LatentMap> buildLatentMap(const LatentMapRequest& request, long long id,
                                                std::stop_token stop = {});

/// Thread contract: create and call on the GUI thread; `ready` is emitted there. The job only
/// reads shared_ptr<const> values and touches no QObject.
class LatentEncoder : public QObject {
  Q_OBJECT

 public:
  /// After a job of d seconds the next starts no sooner than RestFactor·d later, so encoding
  /// 60,000 samples per snapshot takes at most a third of the time training could use.
  static constexpr double RestFactor = 2.0;

  explicit LatentEncoder(QObject* parent = nullptr);
  /// Stops the running job between chunks and waits for it (at most one chunk of encoding).
  ~LatentEncoder() override;

  /// Encodes `request` now, or after the running job (replacing any request already waiting).
  /// A request for other data or another projection than the running job's makes that job's
  /// result stale: it is stopped and dropped.
  void request(LatentMapRequest request);
  /// Drops the results of every request made so far (new data, a new run) and the waiting one.
  void invalidate();
  /// A job runs or a request waits.
  bool isBusy() const { return m_running.has_value() || m_pending.has_value(); }

 signals:
  void ready(std::shared_ptr<const LatentMap> map);
  /// A finished job's result was discarded as stale (for tests and diagnostics).
  void dropped(long long id);
  void failed(const QString& message);

 private:
  void startNext();
  void onFinished();

  QFutureWatcher<std::shared_ptr<const LatentMap>> m_watcher;
  std::optional<LatentMapRequest> m_running;  // the job in flight
  std::optional<LatentMapRequest> m_pending;  // at most one waits: latest wins
  std::optional<LatentMapRequest> m_lastStarted;
  std::stop_source m_stop;   // of the job in flight
  QTimer* m_rest = nullptr;  // single shot: starts the waiting request
  QElapsedTimer m_jobClock;  // runs while a job is in flight
  QElapsedTimer m_sinceFinish;
  qint64 m_restMs = 0;  // after the last job
  long long m_nextId = 0;
  long long m_runningId = -1;
  long long m_oldestValid = 0;     // results of older requests are stale
  long long m_lastDelivered = -1;  // the map never goes back to an older result
};
