// Checkpointer: a writer thread with a one-slot mailbox (the newest snapshot wins), atomic saves.
#include "train/checkpointer.h"

#include <algorithm>
#include <filesystem>

namespace latent {

Checkpointer::Checkpointer(std::string path, ModelFileInfo data)
    : m_path(std::move(path)), m_data(std::move(data)), m_writer([this] { writerLoop(); }) {}

void Checkpointer::setData(ModelFileInfo data) {
  std::lock_guard lock(m_mutex);
  m_data = std::move(data);
}

void Checkpointer::discardLater() {
  {
    std::lock_guard lock(m_mutex);
    m_pending.reset();  // so a discard always comes before any snapshot pending with it
    m_discard = true;
    m_savedEpoch = -1;
  }
  m_changed.notify_all();
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(m_mutex);
    m_quit = true;
  }
  m_changed.notify_all();
  m_writer.join();  // the loop writes what is pending before it ends
}

void Checkpointer::observe(const TrainingProgress& progress) {
  // Epoch ends, a finished run, and a diverged one (rolled back to the last epoch end) resume a
  // run exactly. A Batch event carries optimizer state only when a timed checkpoint asked for it
  // (Trainer::requestCheckpoint): mid-epoch weights with the history of the completed epochs, so
  // a restored run redoes the interrupted epoch from those weights and loses nothing. A stopped
  // run ends the run; its owner decides what to keep.
  using Kind = TrainingProgress::Kind;
  const Kind k = progress.kind;
  if (k != Kind::EpochEnd && k != Kind::Finished && k != Kind::Diverged && k != Kind::Batch) return;
  if (!progress.snapshot || !progress.snapshot->optimizer) return;
  {
    std::lock_guard lock(m_mutex);
    m_pending = progress.snapshot;
    m_pendingData = m_data;
  }
  m_changed.notify_all();
}

void Checkpointer::setMinSecondsBetweenSaves(double seconds) {
  {
    std::lock_guard lock(m_mutex);
    m_minSpacing = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(std::max(0.0, seconds)));
  }
  m_changed.notify_all();
}

void Checkpointer::flush() {
  std::unique_lock lock(m_mutex);
  ++m_flushes;  // the writer saves what is pending now, without waiting for its spacing
  m_changed.notify_all();
  m_changed.wait(lock, [&] { return !m_pending && !m_writing && !m_discard; });
  --m_flushes;
}

std::string Checkpointer::lastError() const {
  std::lock_guard lock(m_mutex);
  return m_lastError;
}

int Checkpointer::savedEpoch() const {
  std::lock_guard lock(m_mutex);
  return m_savedEpoch;
}

void Checkpointer::writerLoop() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_changed.wait(lock, [&] { return m_pending || m_discard || m_quit; });
    if (m_discard) {  // requested before any snapshot now pending (discardLater clears them)
      lock.unlock();
      discard(m_path);
      lock.lock();
      m_discard = false;
      m_savedEpoch = -1;  // a save that was in progress when the discard came set it again
      m_changed.notify_all();
      continue;
    }
    if (!m_pending) return;  // quitting with nothing left to write
    const Clock::time_point due = m_lastSave + m_minSpacing;
    if (!m_quit && m_flushes == 0 && Clock::now() < due) {
      // Too soon after the last save: the newest snapshot observed by then is written instead.
      m_changed.wait_until(lock, due, [&] {
        return m_quit || m_discard || m_flushes > 0 || !m_pending ||
               Clock::now() >= m_lastSave + m_minSpacing;  // the spacing was changed
      });
      continue;
    }
    const std::shared_ptr<const ModelSnapshot> snapshot = std::move(m_pending);
    m_pending.reset();
    m_writing = true;
    ModelFileInfo info = m_pendingData;
    lock.unlock();
    // The snapshot is immutable and shared: writing it needs no lock.
    info.history = snapshot->history;
    info.optimizer = *snapshot->optimizer;
    std::string error;
    try {
      saveModelFile(m_path, *snapshot->model, info);
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    m_writing = false;
    m_lastSave = Clock::now();
    m_lastError = error;
    if (error.empty()) m_savedEpoch = snapshot->epoch;
    m_changed.notify_all();  // flush() waits for this
  }
}

std::optional<LoadedModel> Checkpointer::find(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  LoadedModel loaded = loadModelFile(path);
  if (!loaded.info.optimizer)
    throw Error(Error::Code::Format,
                path + ": not a checkpoint (it has no optimizer state to resume training with)");
  return loaded;
}

void Checkpointer::discard(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::remove(path, ec);
  // writeFileAtomically's temporaries are PATH.tmp-XXXXXX; a crash mid-save leaves one behind.
  const fs::path file(path);
  const std::string prefix = file.filename().string() + ".tmp-";
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) fs::remove(entry.path(), ec);
}

}  // namespace latent
