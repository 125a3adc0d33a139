// LatentExplorer: the "Latent space" tab. The live 2D map of the model's codes (re-encoded off the
// GUI thread for every snapshot), a decoder preview of the point under the cursor, the selected
// sample's input and reconstruction, an interpolation strip between two picked points, a manifold
// grid / prior samples, and per-dimension traversal.
#pragma once

#include <QWidget>
#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "latentencoder.h"

class DecoderImageView;
class InterpolationStrip;
class LatentGridPanel;
class LatentMapView;
class LatentTraversePanel;
class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTimer;

/// Reads snapshots and datasets; owns no training state. Decoding (one point, a strip, a grid)
/// runs on the GUI thread on the snapshot the map was encoded with: a dense decoder takes
/// microseconds per point (bench_latentmap prints the figures); encoding a data set runs on
/// LatentEncoder's worker.
class LatentExplorer : public QWidget {
  Q_OBJECT

 public:
  /// An interpolation end: a picked sample (its code) or a free latent vector.
  struct Endpoint {
    int sample = -1;
    latent::Vector code;
  };
  static constexpr int PathPoints = 64;  // the interpolation path drawn on the map

  explicit LatentExplorer(QWidget* parent = nullptr);
  ~LatentExplorer() override;

  /// The data a run trains on and its validation part (may be null or empty: the map then shows
  /// `all`). Clears the map until the next snapshot, which belongs to the new run.
  void setData(std::shared_ptr<const latent::Dataset> all,
               std::shared_ptr<const latent::Dataset> validation);
  /// A new model snapshot (from TrainingSession::snapshotReady): re-encodes, latest wins.
  void setSnapshot(std::shared_ptr<const latent::ModelSnapshot> snapshot);
  void setProjection(const LatentProjectionChoice& choice);
  /// Encode every sample instead of the validation part.
  void setEncodeAll(bool all);
  /// For demos and screenshots: when a map arrives and nothing is picked, pick two samples of
  /// different classes, select one and decode a point on the path between them.
  void setDemoMode(bool on);
  /// Colours the map by `clusters` (one id ≥ 0 per sample of `data`) instead of by class while
  /// the map shows `data`; null data or no clusters brings the class colours back.
  void setClusterColouring(std::shared_ptr<const latent::Dataset> data, std::vector<int> clusters);
  /// The map's points are coloured by cluster now.
  bool isColouredByCluster() const;
  /// Selects sample `sample` of the validation part (or of all samples) on the map, switching
  /// "All samples" to match; when that needs a new encode, the selection follows the map.
  void locateSample(int sample, bool inAllSamples);

  // Parts and state, for tests and benchmarks.
  LatentMapView* map() const { return m_map; }
  LatentEncoder* encoder() const { return m_encoder; }
  InterpolationStrip* strip() const { return m_strip; }
  LatentGridPanel* gridPanel() const { return m_grid; }
  LatentTraversePanel* traversePanel() const { return m_traverse; }
  std::shared_ptr<const LatentMap> currentMap() const { return m_current; }
  /// The last decoded preview: its latent vector, its values (features × 1) and its picture.
  const latent::Vector& previewCode() const { return m_previewCode; }
  const latent::Matrix& previewValues() const { return m_previewValues; }
  QImage previewImage() const;
  QImage selectionInputImage() const;
  QImage selectionReconstructionImage() const;
  int selectedSample() const { return m_selected; }
  const std::array<std::optional<Endpoint>, 2>& endpoints() const { return m_ends; }

 signals:
  /// A new map is shown (after a snapshot, a projection or data change).
  void mapUpdated();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  QWidget* buildToolbar();
  QWidget* buildSideColumn();
  void connectParts();
  void requestEncode();
  void onMapReady(std::shared_ptr<const LatentMap> map);
  void showMap(bool newData);
  void updateToolbar();
  void setStatus(const QString& text);
  const latent::Dataset* mapData() const;
  QStringList classNames() const;
  QStringList clusterNames() const;

  // latentexplorerdecode.cpp: what clicks, drags and settings decode.
  void onPressed(QPointF mapPos, int sample, Qt::KeyboardModifiers modifiers);
  void onScrubbed(QPointF mapPos);
  void onEndpointMoved(int which, QPointF mapPos);
  void clearPicks();
  void showDecoded(const latent::Vector& z);
  void select(int sample);
  void pushEndpoint(Endpoint end);
  void updateInterpolation();
  void updateGrid();
  void updateTraverseBase(const latent::Vector& code, const QString& what, bool reset);
  void refreshDecodes(bool newData);
  void pickDemo();
  QPointF project(const latent::Vector& z) const;
  latent::Vector lift(QPointF mapPos) const;
  latent::Matrix decode(const latent::Matrix& z) const;

  LatentMapView* m_map = nullptr;
  LatentEncoder* m_encoder = nullptr;
  DecoderImageView* m_preview = nullptr;
  QLabel* m_previewCaption = nullptr;
  DecoderImageView* m_input = nullptr;
  DecoderImageView* m_reconstruction = nullptr;
  QLabel* m_selectionCaption = nullptr;
  InterpolationStrip* m_strip = nullptr;
  LatentGridPanel* m_grid = nullptr;
  LatentTraversePanel* m_traverse = nullptr;
  QComboBox* m_mapping = nullptr;
  QSpinBox* m_dimX = nullptr;
  QSpinBox* m_dimY = nullptr;
  QCheckBox* m_allSamples = nullptr;
  QCheckBox* m_ellipses = nullptr;
  QCheckBox* m_prior = nullptr;
  QPushButton* m_resetView = nullptr;
  QLabel* m_status = nullptr;
  QTimer* m_gridTimer = nullptr;  // merges bursts of view changes into one grid decode

  std::shared_ptr<const latent::Dataset> m_all, m_validation;
  std::shared_ptr<const latent::ModelSnapshot> m_snapshot;  // the latest received
  std::shared_ptr<const LatentMap> m_current;               // the one shown
  LatentProjectionChoice m_projection;
  bool m_encodeAll = false;
  bool m_demo = false;
  // Encoding waits while the tab is hidden (a re-encode after every snapshot costs training
  // throughput); showing the tab encodes the latest snapshot.
  bool m_encodeWhenShown = false;
  std::shared_ptr<const latent::Dataset> m_clusterData;  // the samples m_clusters belong to
  std::vector<int> m_clusters;
  int m_locate = -1;  // a sample to select once the map of the data it belongs to arrives

  latent::Vector m_previewCode;
  latent::Matrix m_previewValues;
  int m_selected = -1;
  std::array<std::optional<Endpoint>, 2> m_ends;
};
