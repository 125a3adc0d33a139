// TrainingSession: trainer ownership, the training-thread observer and the queued hand-over.
#include "trainingsession.h"

#include <QMetaObject>
#include <QThread>

#include "guithread.h"

using latent::Trainer;
using latent::TrainingProgress;

namespace {

bool isTerminal(TrainingProgress::Kind k) {
  using K = TrainingProgress::Kind;
  return k == K::Finished || k == K::Stopped || k == K::Diverged || k == K::Failed;
}

Trainer::State stateOf(TrainingProgress::Kind k) {
  switch (k) {
    case TrainingProgress::Kind::Finished:
      return Trainer::State::Finished;
    case TrainingProgress::Kind::Stopped:
      return Trainer::State::Stopped;
    case TrainingProgress::Kind::Diverged:
      return Trainer::State::Diverged;
    case TrainingProgress::Kind::Failed:
      return Trainer::State::Failed;
    default:
      return Trainer::State::Running;
  }
}

}  // namespace

TrainingSession::TrainingSession(QObject* parent) : QObject(parent) {
  qRegisterMetaType<latent::TrainingProgress>();
  qRegisterMetaType<std::shared_ptr<const latent::ModelSnapshot>>();
  qRegisterMetaType<latent::Trainer::State>();
}

TrainingSession::~TrainingSession() { stopAndWait(); }

void TrainingSession::start(const latent::ModelSpec& spec,
                            std::shared_ptr<const latent::Dataset> train,
                            std::shared_ptr<const latent::Dataset> validation,
                            bool continueCurrent) {
  stopAndWait();
  const int inputSize = train ? train->features() : 0;
  if (continueCurrent && !canContinue(spec, inputSize))
    throw latent::Error(latent::Error::Code::InvalidArgument,
                        "the current model does not match these settings; reset the weights");
  // Construct before touching any state: a spec that does not fit throws and changes nothing.
  auto trainer = std::make_unique<Trainer>(spec, std::move(train), std::move(validation));
  if (continueCurrent) continueFrom(*trainer, *m_snapshot, spec.training.epochs);
  m_trainer = std::move(trainer);
  m_spec = spec;
  if (!continueCurrent) m_snapshot.reset();
  m_active = true;
  m_paused = false;
  const int generation = ++m_generation;
  m_lastBatchPost = {};
  m_trainer->setProgressInterval(1.0 / MaxBatchEventsPerSecond);
  m_trainer->setObserver([this, generation](const TrainingProgress& p) { observe(p, generation); });
  m_trainer->start();
}

void TrainingSession::continueFrom(Trainer& trainer, const latent::ModelSnapshot& from,
                                   int moreEpochs) {
  static const latent::OptimizerState fresh;
  trainer.resumeFrom(*from.model, from.optimizer ? *from.optimizer : fresh, from.history);
  trainer.setEpochs((from.history.empty() ? 0 : from.history.back().epoch) + moreEpochs);
}

void TrainingSession::adopt(std::shared_ptr<const latent::ModelSnapshot> snapshot) {
  if (m_active || !snapshot || !snapshot->model) return;
  m_snapshot = std::move(snapshot);
  m_spec = m_snapshot->model->spec();
  emit snapshotReady(m_snapshot);
}

void TrainingSession::discardModel() {
  if (!m_active) m_snapshot.reset();
}

bool TrainingSession::canContinue(const latent::ModelSpec& spec, int inputSize) const {
  if (m_active || !m_snapshot || !m_snapshot->model) return false;
  const latent::Model& model = *m_snapshot->model;
  latent::ModelSpec architecture = spec;
  architecture.training = model.spec().training;  // epochs, rate, batch... may change
  architecture.beta = model.spec().beta;          // beta too: it is adjustable mid-run
  return model.inputSize() == inputSize && architecture == model.spec();
}

void TrainingSession::pause() {
  if (!m_trainer || !m_active || m_paused) return;
  m_trainer->pause();
  m_paused = true;
  emit pausedChanged(true);
}

void TrainingSession::resume() {
  if (!m_trainer || !m_paused) return;
  m_trainer->resume();
  m_paused = false;
  emit pausedChanged(false);
}

void TrainingSession::stop() {
  if (m_trainer) m_trainer->requestStop();  // also releases a paused run
}

void TrainingSession::stopAndWait() {
  if (!m_trainer) return;
  m_trainer->requestStop();
  m_trainer->wait();
}

void TrainingSession::setLearningRate(float lr) {
  if (m_trainer) m_trainer->setLearningRate(lr);
}

void TrainingSession::requestCheckpoint() {
  if (m_trainer && m_active) m_trainer->requestCheckpoint();
}

void TrainingSession::setBeta(float beta) {
  if (m_trainer) m_trainer->setBeta(beta);
}

void TrainingSession::observe(const TrainingProgress& p, int generation) {
  // Training thread: never touch widgets or GUI-thread members here.
  if (p.kind == TrainingProgress::Kind::Batch && !p.snapshot) {
    const auto now = std::chrono::steady_clock::now();
    const std::chrono::duration<double> since = now - m_lastBatchPost;
    if (since.count() < 1.0 / MaxBatchEventsPerSecond) return;
    m_lastBatchPost = now;
  }
  // The lambda runs on this object's thread; if the session is destroyed first, Qt drops it.
  QMetaObject::invokeMethod(
      this, [this, p, generation] { deliver(p, generation); }, Qt::QueuedConnection);
}

void TrainingSession::deliver(const TrainingProgress& p, int generation) {
  LATENT_ASSERT_GUI_THREAD();
  Q_ASSERT(QThread::currentThread() == thread());
  if (generation != m_generation) return;  // a late event of a replaced run
  if (p.snapshot) {
    m_snapshot = p.snapshot;
    emit snapshotReady(p.snapshot);
  }
  emit progress(p);
  if (!isTerminal(p.kind)) return;
  m_active = false;
  if (m_paused) {
    m_paused = false;
    emit pausedChanged(false);
  }
  emit finished(stateOf(p.kind), QString::fromStdString(p.message));
}
