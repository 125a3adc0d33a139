// LatentEncoder: the worker job (encode, project, statistics) and the latest-wins hand-over.
#include "latentencoder.h"

#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <chrono>

#include "data/dataset.h"
#include "guithread.h"

namespace {

latent::LatentProjection chooseProjection(const LatentProjectionChoice& choice,
                                          const latent::Matrix& codes) {
  using Mode = LatentProjectionChoice::Mode;
  const int latent = int(codes.rows());
  const latent::Vector mean =
      codes.cols() ? latent::Vector(codes.rowwise().mean()) : latent::Vector::Zero(latent);
  const bool pca = latent > 2 ? choice.mode != Mode::Dimensions : choice.mode == Mode::Pca;
  if (pca && latent >= 2 && codes.cols() >= 2) return latent::LatentProjection::pca(codes);
  if (latent == 1) return latent::LatentProjection::dimensions(1, 0, 0, mean);
  int x = std::clamp(choice.dimX, 0, latent - 1), y = std::clamp(choice.dimY, 0, latent - 1);
  if (x == y) y = (x + 1) % latent;
  return latent::LatentProjection::dimensions(latent, x, y, mean);
}

}  // namespace

std::shared_ptr<const LatentMap> buildLatentMap(const LatentMapRequest& request, long long id,
                                                std::stop_token stop) {
  const auto start = std::chrono::steady_clock::now();
  auto map = std::make_shared<LatentMap>();
  map->request = request;
  map->id = id;
  const latent::Model& model = *request.snapshot->model;
  map->codes = latent::encodeAll(model, request.data->samples, stop);
  if (stop.stop_requested()) return nullptr;
  map->projection = chooseProjection(request.projection, map->codes.mean);
  map->points = map->projection.project(map->codes.mean);
  const latent::Matrix centred = map->codes.mean.colwise() - map->codes.mean.rowwise().mean();
  map->spread = (centred.cast<double>().rowwise().squaredNorm() /
                 double(std::max<Eigen::Index>(1, centred.cols() - 1)))
                    .cwiseSqrt();
  if (model.isVariational() && map->codes.mean.cols() > 0) {
    map->covariances = latent::projectedCovariances(map->projection, map->codes.logVar);
    map->klPerDimension = latent::klPerDimension(map->codes.mean, map->codes.logVar);
  }
  map->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return map;
}

LatentEncoder::LatentEncoder(QObject* parent) : QObject(parent) {
  m_rest = new QTimer(this);
  m_rest->setSingleShot(true);
  connect(m_rest, &QTimer::timeout, this, &LatentEncoder::startNext);
  connect(&m_watcher, &QFutureWatcherBase::finished, this, &LatentEncoder::onFinished);
}

LatentEncoder::~LatentEncoder() {
  m_stop.request_stop();
  m_watcher.disconnect(this);
  m_watcher.waitForFinished();
}

void LatentEncoder::request(LatentMapRequest request) {
  if (!request.snapshot || !request.snapshot->model || !request.data) return;
  if (m_running &&
      (m_running->data != request.data || !(m_running->projection == request.projection))) {
    m_oldestValid = m_nextId;  // the running job's result no longer fits what is asked
    m_stop.request_stop();
  }
  // The rest only spaces out re-encodes of new snapshots; what the user changes starts at once.
  if (m_lastStarted &&
      (m_lastStarted->data != request.data || !(m_lastStarted->projection == request.projection)))
    m_restMs = 0;
  m_pending = std::move(request);
  if (!m_running) startNext();
}

void LatentEncoder::invalidate() {
  m_restMs = 0;
  m_oldestValid = m_nextId;
  m_pending.reset();
  m_stop.request_stop();
}

void LatentEncoder::startNext() {
  if (!m_pending || m_running) return;
  if (m_sinceFinish.isValid() && m_sinceFinish.elapsed() < m_restMs) {
    m_rest->start(int(m_restMs - m_sinceFinish.elapsed()));
    return;
  }
  m_running = std::move(m_pending);
  m_pending.reset();
  m_lastStarted = m_running;
  m_runningId = m_nextId++;
  m_stop = std::stop_source();
  m_jobClock.start();
  m_watcher.setFuture(
      QtConcurrent::run([request = *m_running, id = m_runningId,
                         stop = m_stop.get_token()]() -> std::shared_ptr<const LatentMap> {
        try {
          return buildLatentMap(request, id, stop);
        } catch (const std::exception&) {
          return nullptr;  // reported below as a failure of this id
        }
      }));
}

void LatentEncoder::onFinished() {
  LATENT_ASSERT_GUI_THREAD();
  const std::shared_ptr<const LatentMap> map = m_watcher.result();
  const long long id = m_runningId;
  const bool stopped = m_stop.stop_requested();
  m_running.reset();
  m_restMs = qint64(RestFactor * double(m_jobClock.elapsed()));
  m_sinceFinish.start();
  if (id < m_oldestValid || id <= m_lastDelivered || stopped) {
    emit dropped(id);
  } else if (!map) {
    emit failed(tr("could not encode the data with this model"));
  } else {
    m_lastDelivered = id;
    emit ready(map);
  }
  startNext();
}
