// Crash-safe runs: the state of a training run (weights, optimizer state, history, the dataset it
// trains on) written atomically to one checkpoint file at every epoch end, and found again after a
// crash so the run can resume where it was (Trainer::resumeFrom).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "persist/modelfile.h"

namespace latent {

/// Thread contract: construct, destroy and call find/discard on the owner's thread; observe() is
/// meant for Trainer::setObserver and runs on the training thread (or the GUI thread receiving
/// the events: it never blocks); setData/discardLater/lastError/savedEpoch from any thread. Saving
/// happens on the checkpointer's own thread, so a slow disk never holds up training.
class Checkpointer {
 public:
  /// Checkpoints of a run on data described by `data` (shape, normalisation, dataset path: what a
  /// restore needs to reload the data) go to `path`, e.g. "<user data folder>/run.checkpoint".
  Checkpointer(std::string path, ModelFileInfo data);
  /// Writes the last snapshot still waiting, then stops the writer thread.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  /// Saves the snapshot of every epoch end, finished run and diverged run (rolled back to its last
  /// epoch end): states a run can resume from exactly. A stopped run keeps its last epoch end.
  /// When saves fall behind, only the newest waiting snapshot is written. Saves are at least
  /// setMinSecondsBetweenSaves() apart: epochs shorter than that are saved every few epochs, the
  /// newest one due. Never throws and never blocks on I/O. The trainer calling it must be stopped
  /// before the checkpointer is destroyed.
  void observe(const TrainingProgress& progress);
  /// Default 2 s. On MNIST-sized data a fast CPU ends an epoch every 0.1 s, and a save per epoch
  /// (model and optimizer state, written and synced) took a tenth of the training throughput; a
  /// crash then loses at most this much training. flush() and the destructor do not wait for it.
  void setMinSecondsBetweenSaves(double seconds);
  /// Blocks until every snapshot observed so far is on disk (or failed) and a requested discard
  /// is done. For tests and shutdown.
  void flush();
  /// The description of the data for the snapshots observed from now on (a new run).
  void setData(ModelFileInfo data);
  /// The run ended: drops the snapshot waiting, and removes the checkpoint on the writer thread
  /// after the save in progress (if any). Snapshots observed afterwards are written after the
  /// removal. Never blocks on I/O.
  void discardLater();

  /// "" or the reason the last save failed (the run goes on; the previous checkpoint stays).
  std::string lastError() const;
  /// Completed epochs in the checkpoint on disk, -1 before the first save.
  int savedEpoch() const;

  /// The checkpoint at `path` a run left behind (after a crash), or nothing when there is none.
  /// Throws Error naming the file when it exists but is not a valid checkpoint.
  static std::optional<LoadedModel> find(const std::string& path);
  /// Removes the checkpoint at `path` and temporaries of saves a crash interrupted (when a run
  /// ended cleanly and its result was kept, or the user declined the restore).
  static void discard(const std::string& path);

 private:
  using Clock = std::chrono::steady_clock;
  void writerLoop();

  const std::string m_path;
  mutable std::mutex m_mutex;   // guards everything below; the writer thread and observe() share it
  ModelFileInfo m_data;         // for snapshots observed from now on
  ModelFileInfo m_pendingData;  // m_data when m_pending was observed
  std::condition_variable m_changed;
  std::shared_ptr<const ModelSnapshot> m_pending;  // the newest snapshot not yet written
  bool m_writing = false;                          // the writer is saving a snapshot now
  bool m_discard = false;                          // remove the checkpoint before the next save
  bool m_quit = false;
  int m_flushes = 0;  // flush() calls waiting: save without the spacing
  Clock::duration m_minSpacing = std::chrono::seconds(2);
  Clock::time_point m_lastSave{};  // when the last save ended
  std::string m_lastError;
  int m_savedEpoch = -1;
  std::thread m_writer;  // last member: started after everything above is initialised
};

}  // namespace latent
