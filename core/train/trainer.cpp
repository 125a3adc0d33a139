// Trainer implementation: the batch loop on a TBB arena, control flags, snapshots and rollback.
#include "train/trainer.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <numbers>
#include <numeric>
#include <sstream>
#include <thread>

#include "data/blasthreads.h"
#include "nn/gemm.h"
#include "nn/optimizer.h"

namespace latent {

namespace {
using Clock = std::chrono::steady_clock;
constexpr Eigen::Index EvaluateChunk = 512;  // validation samples per task

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::vector<Parameter*> parameterList(Model& model) {
  std::vector<Parameter*> params;
  for (auto& p : model.parameters()) params.push_back(p.parameter);
  return params;
}

// The sample shape the model is built for: the dataset's, or flat values when its shape does not
// describe its columns (hand-made datasets).
Shape sampleShape(const Dataset& d) {
  return d.shape.size() == d.features() ? d.shape : Shape::tabular(d.features());
}

int resolveThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(1, tbb::this_task_arena::max_concurrency());
}
}  // namespace

std::string toString(Trainer::State s) {
  switch (s) {
    case Trainer::State::Idle:
      return "idle";
    case Trainer::State::Running:
      return "running";
    case Trainer::State::Paused:
      return "paused";
    case Trainer::State::Finished:
      return "finished";
    case Trainer::State::Stopped:
      return "stopped";
    case Trainer::State::Diverged:
      return "diverged";
    case Trainer::State::Failed:
      return "failed";
  }
  return "idle";
}

double learningRateFactor(const TrainingSpec& training, long long step, int batchesPerEpoch,
                          int epochs) {
  const long long warmup = (long long)training.lrWarmupEpochs * batchesPerEpoch;
  const long long total = (long long)epochs * batchesPerEpoch;
  if (step <= warmup) return double(step) / double(warmup);
  if (training.lrSchedule == LrSchedule::Constant) return 1.0;
  const double t = double(step - 1 - warmup) / double(std::max(1LL, total - warmup));
  return 0.5 * (1.0 + std::cos(std::numbers::pi * std::min(1.0, t)));
}

struct Trainer::Impl {
  ModelSpec spec;
  std::shared_ptr<const Dataset> train, validation;
  int threadCount = 1;
  int targetEpochs = 1;

  // Owned by the training thread while a run is active; by the owner otherwise.
  std::unique_ptr<Model> model;                  // the master: replica 0 shares its values
  std::vector<std::unique_ptr<Model>> replicas;  // 1..threads-1
  std::unique_ptr<Optimizer> optimizer;
  std::vector<EpochRecord> history;
  int completedEpochs = 0;
  std::unique_ptr<Model> lastGood;  // weights at the last epoch end (rollback on divergence)
  OptimizerState lastGoodOptimizer;
  std::vector<Matrix> batchInputs;  // per shard: features × slice
  std::vector<int> order;           // shuffled training indices of the epoch
  Observer observer;
  double progressInterval = 0.05, snapshotInterval = 0.25;

  // Touched from any thread.
  std::atomic<bool> stopRequested{false};
  std::atomic<bool> checkpointRequested{false};  // the next batch event carries optimizer state
  std::atomic<float> learningRate{1e-3f};
  std::atomic<float> beta{1.0f};
  mutable std::mutex mutex;  // guards paused, state, snapshot
  std::condition_variable pauseChanged;
  bool paused = false;
  State state = State::Idle;
  std::shared_ptr<const ModelSnapshot> snapshot;
  std::thread worker;

  void setState(State s) {
    std::lock_guard lock(mutex);
    state = s;
  }
  void waitWhilePaused() {
    std::unique_lock lock(mutex);
    if (!paused) return;
    state = State::Paused;
    pauseChanged.wait(lock, [&] { return !paused || stopRequested.load(); });
    state = State::Running;
  }
  /// β after warm-up, from the optimizer's step count so a resumed run continues the ramp.
  float effectiveBeta(long long steps, int batchesPerEpoch) const {
    const float b = beta.load();
    if (!spec.isVariational() || spec.klWarmupEpochs <= 0) return b;
    const double ramp = double(steps) / (double(spec.klWarmupEpochs) * batchesPerEpoch);
    return b * float(std::min(1.0, ramp));
  }

  std::shared_ptr<const ModelSnapshot> publish(bool withOptimizer) {
    auto s = std::make_shared<ModelSnapshot>();
    s->model = model->clone();
    s->epoch = completedEpochs;
    s->step = optimizer->stepCount();
    s->history = history;
    if (withOptimizer)
      s->optimizer = std::make_shared<OptimizerState>(
          OptimizerState{optimizer->state(), optimizer->stepCount()});
    std::lock_guard lock(mutex);
    snapshot = s;
    return s;
  }

  void emit(const TrainingProgress& p) {
    if (observer) observer(p);
  }

  void makeReplicas() {
    replicas.clear();
    for (int s = 1; s < threadCount; ++s) replicas.push_back(model->replicaSharingWeights());
    batchInputs.assign(threadCount, Matrix());
  }
  Model& shard(int s) { return s == 0 ? *model : *replicas[s - 1]; }

  LossTerms trainBatch(tbb::task_arena& arena, const int* indices, int batchSize, long long step,
                       float betaNow);
  std::vector<std::vector<Parameter*>> replicaGradients();
  std::optional<LossTerms> validate(tbb::task_arena& arena, float betaNow);
  void rollback();
  State runEpochs();
  State runEpochsIn(tbb::task_arena& arena);
};

LossTerms Trainer::Impl::trainBatch(tbb::task_arena& arena, const int* indices, int batchSize,
                                    long long step, float betaNow) {
  const int shards = std::min(threadCount, batchSize);
  std::vector<LossTerms> terms(shards);
  std::vector<Rng> rngs;
  for (int s = 0; s < shards; ++s) rngs.push_back(Rng::derive(spec.training.seed, step, s));
  auto sliceBegin = [&](int s) { return int((long long)batchSize * s / shards); };
  const Matrix& data = train->samples;
  Vector meanCode;
  arena.execute([&] {
    tbb::parallel_for(0, shards, [&](int s) {
      const int b = sliceBegin(s), e = sliceBegin(s + 1);
      Matrix& x = batchInputs[s];
      x.resize(data.rows(), e - b);
      for (int i = b; i < e; ++i) x.col(i - b) = data.col(indices[i]);
      shard(s).forwardTrain(x, rngs[s]);  // gradients are zero: the last step cleared them
    });
    if (spec.sparsity.kind == SparsitySpec::Kind::Kl) {
      meanCode = Vector::Zero(spec.latent);
      for (int s = 0; s < shards; ++s) meanCode += shard(s).codeActivationSum();
      meanCode /= Scalar(batchSize);
    }
    tbb::parallel_for(0, shards, [&](int s) {
      terms[s] = shard(s).backwardTrain(batchInputs[s], batchSize, betaNow, &meanCode);
    });
  });
  LossTerms sum;
  for (const auto& t : terms) sum += t;  // fixed order: deterministic
  return sum;
}

std::optional<LossTerms> Trainer::Impl::validate(tbb::task_arena& arena, float betaNow) {
  if (!validation || validation->count() == 0) return std::nullopt;
  const Matrix& v = validation->samples;
  const Eigen::Index n = v.cols();
  const Eigen::Index chunks = (n + EvaluateChunk - 1) / EvaluateChunk;
  std::vector<LossTerms> parts(chunks);
  arena.execute([&] {
    tbb::parallel_for(Eigen::Index(0), chunks, [&](Eigen::Index c) {
      const Eigen::Index b = c * EvaluateChunk, e = std::min(n, b + EvaluateChunk);
      const Matrix x = v.middleCols(b, e - b);
      parts[c] = model->evaluate(x, x, int(n), betaNow);
    });
  });
  LossTerms sum;
  for (const auto& p : parts) sum += p;
  return sum;
}

// Every replica's parameters, for the optimizer to add into the master's gradients (fixed order).
std::vector<std::vector<Parameter*>> Trainer::Impl::replicaGradients() {
  std::vector<std::vector<Parameter*>> out;
  for (auto& r : replicas) out.push_back(parameterList(*r));
  return out;
}

// Σ w² over every parameter, in double; infinite or NaN when a weight is.
double squaredWeightNorm(Model& model) {
  double sum = 0;
  for (Parameter* p : parameterList(model)) sum += double(p->value->squaredNorm());
  return sum;
}

void Trainer::Impl::rollback() {
  model->copyWeightsFrom(*lastGood);
  for (int s = 0; s < threadCount; ++s) shard(s).zeroGrad();  // the diverged batch's gradients
  if (lastGoodOptimizer.tensors.empty())  // diverged in the first epoch: start the state afresh
    optimizer = makeOptimizer(parameterList(*model), optimizer->options());
  else
    optimizer->setState(lastGoodOptimizer.tensors, lastGoodOptimizer.step);
}

Trainer::State Trainer::Impl::runEpochs() {
  // The whole run executes inside the arena: the nested execute() calls below then cost nothing,
  // instead of entering the arena two or three times per batch.
  tbb::task_arena arena(threadCount);
  State end = State::Failed;
  arena.execute([&] { end = runEpochsIn(arena); });
  return end;
}

Trainer::State Trainer::Impl::runEpochsIn(tbb::task_arena& arena) {
  for (int s = 0; s < threadCount; ++s) shard(s).zeroGrad();  // each step then clears its own
  const int n = train->count();
  const int batch = spec.training.batchSize;
  const int batchesPerEpoch = (n + batch - 1) / batch;
  const auto runStart = Clock::now();
  long long samplesInRun = 0;
  double trainSecondsInRun = 0;  // batches only: samples/s means training speed, as at epoch ends
  auto lastProgress = Clock::now() - std::chrono::hours(1);
  auto lastSnapshot = Clock::now();

  const auto replicaGrads = replicaGradients();
  TrainingProgress base;
  base.epochs = targetEpochs;
  base.batchesPerEpoch = batchesPerEpoch;
  base.threads = threadCount;
  auto nonFinite = [](double v) { return std::string(std::isnan(v) ? "NaN" : "infinite"); };
  // The weights' norm before the next step: a step that multiplies it by MaxNormGrowthPerStep
  // (or makes it non-finite) is a divergence caught in the batch it happens, even when a bounded
  // loss (sigmoid + MSE) would stay finite while the weights blow up or die.
  double weightNorm = std::sqrt(squaredWeightNorm(*model));
  // Rolls back to the last epoch end and reports what went wrong.
  auto diverge = [&](int epoch, int batch, const std::string& what) {
    rollback();
    TrainingProgress p = base;
    p.kind = TrainingProgress::Kind::Diverged;
    p.epoch = epoch;
    p.batch = batch;
    p.step = optimizer->stepCount();
    p.elapsedSeconds = secondsSince(runStart);
    p.message = what + "; weights restored to " +
                (completedEpochs > 0 ? "epoch " + std::to_string(completedEpochs)
                                     : std::string("their initial values"));
    p.snapshot = publish(true);
    emit(p);
    return State::Diverged;
  };

  for (int epoch = completedEpochs + 1; epoch <= targetEpochs; ++epoch) {
    order.resize(n);
    std::iota(order.begin(), order.end(), 0);
    Rng shuffleRng = Rng::derive(spec.training.seed, 0x5EED, epoch);
    shuffleRng.shuffle(order.begin(), order.end());
    const auto epochStart = Clock::now();
    double trainSeconds = 0;
    LossTerms epochSum;
    float betaNow = effectiveBeta(optimizer->stepCount(), batchesPerEpoch);
    for (int b = 0; b < batchesPerEpoch; ++b) {
      waitWhilePaused();
      if (stopRequested.load()) {
        TrainingProgress p = base;
        p.kind = TrainingProgress::Kind::Stopped;
        p.epoch = epoch;
        p.batch = b;
        p.step = optimizer->stepCount();
        p.elapsedSeconds = secondsSince(runStart);
        p.message = "stopped at epoch " + std::to_string(epoch) + " batch " + std::to_string(b);
        p.snapshot = publish(true);
        emit(p);
        return State::Stopped;
      }
      const auto batchStart = Clock::now();
      const int begin = b * batch;
      const int size = std::min(batch, n - begin);
      optimizer->setLearningRate(
          float(learningRate.load() * learningRateFactor(spec.training, optimizer->stepCount() + 1,
                                                         batchesPerEpoch, targetEpochs)));
      betaNow = effectiveBeta(optimizer->stepCount(), batchesPerEpoch);
      const LossTerms loss =
          trainBatch(arena, order.data() + begin, size, optimizer->stepCount() + 1, betaNow);
      if (!std::isfinite(loss.total))
        return diverge(epoch, b + 1,
                       "loss became " + nonFinite(loss.total) + " at epoch " +
                           std::to_string(epoch) + " batch " + std::to_string(b + 1));
      arena.execute([&] { optimizer->step(replicaGrads, /*zeroGradients=*/true); });
      const double normAfter = std::sqrt(squaredWeightNorm(*model));
      if (!std::isfinite(normAfter))
        return diverge(epoch, b + 1,
                       "weights became NaN or infinite at epoch " + std::to_string(epoch) +
                           " batch " + std::to_string(b + 1));
      if (normAfter > MaxNormGrowthPerStep * std::max(weightNorm, 1e-12)) {
        std::ostringstream what;
        what << "weights exploded at epoch " << epoch << " batch " << b + 1 << " (one step grew "
             << "their norm " << std::lround(normAfter / std::max(weightNorm, 1e-12))
             << "×; learning rate " << optimizer->options().learningRate << " is too high)";
        return diverge(epoch, b + 1, what.str());
      }
      weightNorm = normAfter;
      const double batchSeconds = secondsSince(batchStart);
      trainSeconds += batchSeconds;
      trainSecondsInRun += batchSeconds;
      samplesInRun += size;
      epochSum += loss.scaled(size);

      const bool checkpoint = b + 1 < batchesPerEpoch && checkpointRequested.exchange(false);
      if (checkpoint ||
          (b + 1 < batchesPerEpoch && secondsSince(lastProgress) >= progressInterval)) {
        lastProgress = Clock::now();
        TrainingProgress p = base;
        p.kind = TrainingProgress::Kind::Batch;
        p.epoch = epoch;
        p.batch = b + 1;
        p.step = optimizer->stepCount();
        p.batchLoss = loss;
        p.trainLoss = epochSum.scaled(1.0 / (begin + size));
        p.elapsedSeconds = secondsSince(runStart);
        p.samplesPerSecond = double(samplesInRun) / std::max(1e-9, trainSecondsInRun);
        const double remaining = double(targetEpochs - epoch) * n + (n - begin - size);
        p.etaSeconds = remaining / std::max(1e-9, p.samplesPerSecond);
        p.learningRate = optimizer->options().learningRate;  // the last step's (scheduled)
        p.beta = betaNow;
        if (checkpoint || secondsSince(lastSnapshot) >= snapshotInterval) {
          lastSnapshot = Clock::now();
          p.snapshot = publish(/*withOptimizer=*/checkpoint);
        }
        emit(p);
      }
    }
    EpochRecord rec;
    rec.epoch = epoch;
    rec.train = epochSum.scaled(1.0 / n);
    rec.seconds = trainSeconds;
    rec.samplesPerSecond = n / std::max(1e-9, trainSeconds);
    rec.beta = betaNow;
    // The epoch's last steps can leave weights that are not finite, or that give a non-finite
    // validation loss: such an epoch end is no state to keep, save or roll back to.
    if (!model->allWeightsFinite())
      return diverge(epoch, batchesPerEpoch,
                     "weights became NaN or infinite at the end of epoch " + std::to_string(epoch));
    const auto val = validate(arena, betaNow);
    if (val && !std::isfinite(val->total))
      return diverge(epoch, batchesPerEpoch,
                     "validation loss became " + nonFinite(val->total) + " after epoch " +
                         std::to_string(epoch));
    if (val) {
      rec.validation = *val;
      rec.hasValidation = true;
    }
    history.push_back(rec);
    completedEpochs = epoch;
    lastGood->copyWeightsFrom(*model);
    lastGoodOptimizer = {optimizer->state(), optimizer->stepCount()};

    TrainingProgress p = base;
    p.kind = TrainingProgress::Kind::EpochEnd;
    p.epoch = epoch;
    p.batch = batchesPerEpoch;
    p.step = optimizer->stepCount();
    p.trainLoss = rec.train;
    p.validationLoss = val;
    p.elapsedSeconds = secondsSince(runStart);
    p.samplesPerSecond = rec.samplesPerSecond;
    p.etaSeconds = double(targetEpochs - epoch) * secondsSince(epochStart);
    p.learningRate = optimizer->options().learningRate;
    p.beta = betaNow;
    lastSnapshot = Clock::now();
    p.snapshot = publish(true);
    emit(p);
  }
  return State::Finished;
}

Trainer::Trainer(ModelSpec spec, std::shared_ptr<const Dataset> train,
                 std::shared_ptr<const Dataset> validation)
    : m(std::make_unique<Impl>()) {
  useSingleThreadedBlas();
  if (!train || train->count() == 0)
    throw Error(Error::Code::InvalidArgument, "there is no training data");
  if (validation && validation->count() > 0 && validation->features() != train->features())
    throw Error(Error::Code::InvalidArgument,
                "validation samples have " + std::to_string(validation->features()) +
                    " features but training samples have " + std::to_string(train->features()));
  spec.validate(sampleShape(*train));
  m->spec = spec;
  m->train = std::move(train);
  m->validation = std::move(validation);
  m->threadCount = resolveThreads(spec.training.threads);
  m->targetEpochs = spec.training.epochs;
  m->learningRate = spec.training.optimizer.learningRate;
  m->beta = spec.beta;
  Rng initRng(spec.training.seed);
  m->model = std::make_unique<Model>(spec, sampleShape(*m->train), initRng);
  m->makeReplicas();
  if (spec.training.precision == Precision::BFloat16) {
    if (!bf16GemmAvailable())
      throw Error(Error::Code::Unsupported,
                  "bf16 training needs a CPU with AVX512-BF16 or AMX and a build with oneDNN; "
                  "use fp32");
    for (int s = 0; s < m->threadCount; ++s) m->shard(s).setMixedPrecision(true);
  }
  m->optimizer = makeOptimizer(parameterList(*m->model), spec.training.optimizer);
  m->lastGood = m->model->clone();
}

Trainer::~Trainer() {
  requestStop();
  wait();
}

void Trainer::resumeFrom(const Model& weights, const OptimizerState& optimizer,
                         const std::vector<EpochRecord>& history) {
  if (isActive()) throw std::logic_error("Trainer::resumeFrom while training");
  m->model->copyWeightsFrom(weights);
  if (!optimizer.tensors.empty()) m->optimizer->setState(optimizer.tensors, optimizer.step);
  m->history = history;
  m->completedEpochs = history.empty() ? 0 : history.back().epoch;
  m->lastGood->copyWeightsFrom(*m->model);
  m->lastGoodOptimizer = optimizer;
}

void Trainer::setObserver(Observer observer) { m->observer = std::move(observer); }
void Trainer::setProgressInterval(double seconds) { m->progressInterval = seconds; }
void Trainer::setSnapshotInterval(double seconds) { m->snapshotInterval = seconds; }
void Trainer::setEpochs(int epochs) { m->targetEpochs = epochs; }

Trainer::State Trainer::run() {
  m->stopRequested = false;
  m->setState(State::Running);
  TrainingProgress started;
  started.kind = TrainingProgress::Kind::Started;
  started.epoch = m->completedEpochs + 1;
  started.epochs = m->targetEpochs;
  started.threads = m->threadCount;
  started.learningRate = m->learningRate.load();
  m->emit(started);
  State end = State::Failed;
  try {
    end = m->runEpochs();
    if (end == State::Finished) {
      TrainingProgress p = started;
      p.kind = TrainingProgress::Kind::Finished;
      p.epoch = m->completedEpochs;
      p.step = m->optimizer->stepCount();
      p.message = "finished " + std::to_string(m->completedEpochs) + " epochs";
      p.snapshot = m->publish(true);
      m->emit(p);
    }
  } catch (const std::exception& e) {
    TrainingProgress p = started;
    p.kind = TrainingProgress::Kind::Failed;
    p.message = std::string("training failed: ") + e.what();
    m->emit(p);
  }
  m->setState(end);
  return end;
}

void Trainer::start() {
  if (isActive()) return;
  wait();
  {
    std::lock_guard lock(m->mutex);
    m->state = State::Running;  // so isActive() is true as soon as start() returns
  }
  m->worker = std::thread([this] { run(); });
}

void Trainer::wait() {
  if (m->worker.joinable()) m->worker.join();
}

void Trainer::pause() {
  std::lock_guard lock(m->mutex);
  m->paused = true;
}

void Trainer::resume() {
  {
    std::lock_guard lock(m->mutex);
    m->paused = false;
  }
  m->pauseChanged.notify_all();
}

void Trainer::requestStop() {
  m->stopRequested = true;
  {
    std::lock_guard lock(m->mutex);
    m->paused = false;
  }
  m->pauseChanged.notify_all();
}

void Trainer::requestCheckpoint() { m->checkpointRequested = true; }
void Trainer::setLearningRate(float lr) { m->learningRate = lr; }
void Trainer::setBeta(float beta) { m->beta = beta; }

Trainer::State Trainer::state() const {
  std::lock_guard lock(m->mutex);
  return m->state;
}

bool Trainer::isActive() const {
  const State s = state();
  return s == State::Running || s == State::Paused;
}

int Trainer::threads() const { return m->threadCount; }
int Trainer::completedEpochs() const { return m->completedEpochs; }

std::shared_ptr<const ModelSnapshot> Trainer::latestSnapshot() const {
  std::lock_guard lock(m->mutex);
  return m->snapshot;
}

const Model& Trainer::model() const { return *m->model; }
const ModelSpec& Trainer::spec() const { return m->spec; }

}  // namespace latent
