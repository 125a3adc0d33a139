// AnomalyAnalysis: what the Anomalies tab shows for one (snapshot, data, normal classes), built on
// a worker as one immutable value: per-sample reconstruction errors (sorted copies for instant
// threshold counts), the top-k gallery pictures and, with labels, the ROC and PR curves.
#pragma once

#include <QImage>
#include <atomic>
#include <memory>
#include <vector>

#include "analysis/anomalyscore.h"
#include "analysis/classmodels.h"
#include "analysis/ranking.h"
#include "data/dataset.h"
#include "train/snapshot.h"

/// Shared by the panel and the worker job that trains class models: how far it is, and a flag the
/// panel sets to cancel it (a newer dataset, another score, the window closing).
struct AnomalyJobControl {
  std::atomic<double> progress{0};
  std::atomic<bool> cancel{false};
};

struct AnomalyRequest {
  std::shared_ptr<const latent::ModelSnapshot> snapshot;
  std::shared_ptr<const latent::Dataset> data;  // the samples scored (validation or all)
  /// The whole dataset: the normal reference of the calibrated scores is the training part of
  /// the snapshot's split of it, in the normal classes (latent::trainingReference).
  std::shared_ptr<const latent::Dataset> all;
  std::vector<int> normalClasses;  // empty: no labelled scoring
  int topK = 8;
  /// For the Classes score: the class models when the panel has them for this spec, data and
  /// normal classes (classModelsFit), else the job trains them, reporting to `control`.
  latent::AnomalyScoreOptions score;
  std::shared_ptr<AnomalyJobControl> control;
};

/// The class models of `trained` were trained for `request`: the same spec, data and classes.
bool classModelsFit(const AnomalyRequest& trained, const AnomalyRequest& request);

/// One gallery entry: a sample with its reconstruction and per-pixel error.
struct AnomalyExample {
  int sample = -1;  // column in the request's data
  double error = 0;
  QImage input, reconstruction, heatmap;
};

struct AnomalyAnalysis {
  AnomalyRequest request;
  std::vector<double> errors;          // per sample, latent::anomalyScores
  std::vector<double> sortedErrors;    // ascending: counts at a threshold by binary search
  std::vector<double> sortedPositive;  // errors of the anomalies, ascending (labelled only)
  std::vector<double> sortedNegative;  // errors of the normal samples, ascending
  std::vector<bool> anomalous;         // per sample (labelled only)
  std::vector<AnomalyExample> top;     // highest error first
  bool hasRanking = false;             // labels, and both normal and anomalous samples present
  std::shared_ptr<const latent::ClassModels> classModels;  // the Classes score's, else null
  latent::RocCurve roc;
  latent::PrCurve pr;
  double suggestedThreshold = 0;  // defaultThreshold(SuggestedRate), computed on the worker
  double seconds = 0;

  /// The threshold the panel starts with: this false-positive rate (or flagged fraction).
  static constexpr double SuggestedRate = 0.05;

  /// Samples with error >= threshold (the flagging rule of latent::confusionAt).
  long long flaggedAt(double threshold) const;
  /// Confusion counts at `threshold`; zeros without a ranking.
  latent::Confusion confusionAt(double threshold) const;
  /// The lowest threshold whose false-positive rate stays <= rate (labelled), or the threshold
  /// that flags the top `rate` fraction of the samples (unlabelled), as the CLI chooses it.
  double defaultThreshold(double rate) const;
};

/// Builds the analysis on the calling thread (the worker's job; tests call it directly). With
/// `reuse` for the same snapshot and data, the errors and gallery are taken from it and only the
/// labelled part is recomputed (ticking a class does not reconstruct again). Returns null when
/// the request's control cancels the training of class models.
std::shared_ptr<const AnomalyAnalysis> buildAnomalyAnalysis(
    const AnomalyRequest& request, std::shared_ptr<const AnomalyAnalysis> reuse = nullptr);
