// Recommendations from an autoencoder on users × items interactions: leave-one-out hold-out,
// ranking of unseen items, hit rate@k and NDCG@k, and the most-popular baseline to beat.
#pragma once

#include <vector>

#include "data/types.h"
#include "models/modelspec.h"

namespace latent {

class Model;

/// The settings LatentLab suggests for users × items data: a collaborative denoising autoencoder
/// (input dropout 0.5, BCE over 0/1 interactions, 64 → 16 units, 30 epochs of Adam at 3e-3).
ModelSpec recommenderSpec();

/// One interaction held out per evaluated user. `inputs` is items × users.size(): each user's
/// interactions without the held-out one (what the model is shown).
struct LeaveOneOut {
  std::vector<int> users;    // columns of the interaction matrix, users with >= 2 interactions
  std::vector<int> heldOut;  // the hidden item of each, in the same order
  Matrix inputs;             // items × users.size(), 0/1
};

/// For each of `users` (columns of `interactions`, items × all users, 0/1) with at least two
/// interactions, hides one of them chosen with Rng::derive(seed, user): the same seed hides the
/// same items whatever other users are evaluated. Users with fewer are skipped. Throws
/// std::invalid_argument for a user index out of range.
LeaveOneOut leaveOneOut(const Matrix& interactions, const std::vector<int>& users, unsigned seed);

/// 0-based rank of `item` among the unseen items (known[j] == 0, plus `item` itself) ordered by
/// score, highest first; ties go to the lower item index (as topUnseen orders them).
/// scores, known: one entry per item.
int rankAmongUnseen(const Vector& scores, const Vector& known, int item);

struct ScoredItem {
  int item = 0;
  double score = 0;
};

/// The `n` highest-scoring items with known[j] == 0, highest first (ties: lower index first).
std::vector<ScoredItem> topUnseen(const Vector& scores, const Vector& known, int n);

struct RankingMetrics {
  int k = 10;
  int users = 0;       // ranks averaged
  double hitRate = 0;  // share of ranks < k
  double ndcg = 0;     // mean of 1 / log2(rank + 2) over ranks < k (0 otherwise): one relevant item
};

/// Hit rate@k and NDCG@k of held-out items at these 0-based ranks. Empty → zeros.
RankingMetrics rankingMetrics(const std::vector<int>& ranks, int k);

/// How many users interacted with each item: interactions is items × users → items.
Vector itemPopularity(const Matrix& interactions);

/// The autoencoder's scores for users' known interactions: its reconstruction (items × users;
/// probabilities for BCE models). Throws std::invalid_argument when the model's input size is
/// not the number of items.
Matrix recommendationScores(const Model& model, const Matrix& inputs);

struct RecommendationReport {
  RankingMetrics model;    // the autoencoder's scores
  RankingMetrics popular;  // most-popular items first
  int items = 0;
};

/// Leave-one-out evaluation of `model` on `users` (see leaveOneOut): each user's remaining
/// interactions go in, and the held-out item's rank among that user's unseen items is scored.
/// The baseline ranks by itemPopularity over all users with the held-out interactions removed
/// (so it cannot see them either).
RecommendationReport evaluateLeaveOneOut(const Model& model, const Matrix& interactions,
                                         const std::vector<int>& users, unsigned seed, int k = 10);

}  // namespace latent
