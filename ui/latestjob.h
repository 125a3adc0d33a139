// LatestJob: one background computation at a time for a panel, latest wins. A request made while
// a job runs waits, replacing any request already waiting, so requests never queue up and the
// panel always ends on what was asked last. Each result carries what it was computed for.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>
#include <functional>
#include <optional>

/// Thread contract: create and call on the GUI thread; `onResult` runs there. The work functions
/// run on Qt's thread pool and must only read values they captured (shared_ptr<const …>).
template <typename Result>
class LatestJob {
 public:
  LatestJob(QObject* context, std::function<void(Result)> onResult)
      : m_onResult(std::move(onResult)) {
    QObject::connect(&m_watcher, &QFutureWatcherBase::finished, context, [this] { finished(); });
  }
  /// Waits for the running job (its result is dropped): a panel's destructor stops cleanly.
  ~LatestJob() {
    m_watcher.disconnect();
    m_watcher.waitForFinished();
  }
  LatestJob(const LatestJob&) = delete;
  LatestJob& operator=(const LatestJob&) = delete;

  void request(std::function<Result()> work) {
    m_waiting = std::move(work);
    if (!m_watcher.isRunning()) startWaiting();
  }
  /// Forgets the waiting request and drops the running job's result (new data).
  void cancel() {
    m_waiting.reset();
    m_dropRunning = m_watcher.isRunning();
  }
  bool isBusy() const { return m_watcher.isRunning() || m_waiting.has_value(); }

 private:
  void startWaiting() {
    if (!m_waiting) return;
    m_dropRunning = false;
    m_watcher.setFuture(QtConcurrent::run(std::move(*m_waiting)));
    m_waiting.reset();
  }
  void finished() {
    if (m_watcher.isRunning() || m_watcher.future().resultCount() == 0) return;
    Result result = m_watcher.result();
    // Delivered even when a newer request waits: during training snapshots arrive faster than
    // some jobs finish, and dropping those results would leave the panel empty.
    const bool deliver = !m_dropRunning;
    m_watcher.setFuture(QFuture<Result>());  // consumed: a second finished() does nothing
    if (deliver) m_onResult(std::move(result));
    startWaiting();
  }

  QFutureWatcher<Result> m_watcher;
  std::function<void(Result)> m_onResult;
  std::optional<std::function<Result()>> m_waiting;
  bool m_dropRunning = false;
};
