// User–item generation: one popularity ranking for all items, one preferred-item set per taste
// group, then per user a weighted draw without repeats from either set.
#include "data/useritem.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/rng.h"

namespace latent {
namespace {

enum UserItemStream : uint64_t { CatalogueStream = 0, UserStream = 1 };
// Above float rounding of a standardised 0 mapped back (about 1e-7), below any real rating.
constexpr float InteractionThreshold = 1e-4f;

void checkArguments(int users, const UserItemOptions& o) {
  const bool ok = users >= 0 && o.items >= 2 && o.groups >= 1 && o.itemsPerGroup >= 1 &&
                  o.itemsPerGroup <= o.items && o.minInteractions >= 1 &&
                  o.maxInteractions >= o.minInteractions && o.maxInteractions <= o.items &&
                  o.tasteShare >= 0 && o.tasteShare <= 1 && o.popularitySkew >= 0;
  if (!ok)
    throw std::invalid_argument(
        "makeUserItemDataset: need users >= 0, items >= 2, groups >= 1, items per group in "
        "1..items, 1 <= min <= max <= items interactions, taste share in [0,1], skew >= 0; got "
        "users " +
        std::to_string(users) + ", items " + std::to_string(o.items) + ", groups " +
        std::to_string(o.groups) + ", per group " + std::to_string(o.itemsPerGroup) +
        ", interactions " + std::to_string(o.minInteractions) + ".." +
        std::to_string(o.maxInteractions));
}

/// Items with weights, drawn proportionally to the weights.
struct WeightedItems {
  std::vector<int> items;
  std::vector<double> cumulative;  // running sum of the weights

  void add(int item, double weight) {
    items.push_back(item);
    cumulative.push_back((cumulative.empty() ? 0.0 : cumulative.back()) + weight);
  }
  int draw(Rng& rng) const {
    const double r = double(rng.uniform()) * cumulative.back();
    const auto at = std::upper_bound(cumulative.begin(), cumulative.end(), r);
    return items[size_t(std::min<ptrdiff_t>(at - cumulative.begin(), ptrdiff_t(items.size()) - 1))];
  }
};

struct Catalogue {
  WeightedItems all;
  std::vector<WeightedItems> groups;
};

Catalogue makeCatalogue(unsigned seed, const UserItemOptions& o) {
  Rng rng = Rng::derive(seed, CatalogueStream);
  std::vector<int> byPopularity(size_t(o.items));
  std::iota(byPopularity.begin(), byPopularity.end(), 0);
  rng.shuffle(byPopularity.begin(), byPopularity.end());
  std::vector<double> weight(size_t(o.items));
  for (int rank = 0; rank < o.items; ++rank)
    weight[size_t(byPopularity[size_t(rank)])] = 1.0 / std::pow(rank + 1.0, o.popularitySkew);
  Catalogue c;
  for (int item = 0; item < o.items; ++item) c.all.add(item, weight[size_t(item)]);
  // Consecutive runs of one shuffled order: disjoint while groups · itemsPerGroup <= items.
  std::vector<int> order(size_t(o.items));
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order.begin(), order.end());
  c.groups.resize(size_t(o.groups));
  for (int g = 0; g < o.groups; ++g)
    for (int k = 0; k < o.itemsPerGroup; ++k) {
      const int item = order[size_t((g * o.itemsPerGroup + k) % o.items)];
      c.groups[size_t(g)].add(item, weight[size_t(item)]);
    }
  return c;
}

void drawUser(const Catalogue& c, int group, const UserItemOptions& o, Rng& rng, Scalar* row) {
  const int wanted =
      o.minInteractions + int(rng.below(uint64_t(o.maxInteractions - o.minInteractions + 1)));
  const WeightedItems& taste = c.groups[size_t(group)];
  int have = 0;
  // Rejection of repeats; the attempt cap only matters for tiny catalogues.
  for (int attempt = 0; have < wanted && attempt < 100 * o.maxInteractions; ++attempt) {
    const bool fromTaste = rng.uniform() < o.tasteShare;
    const int item = (fromTaste ? taste : c.all).draw(rng);
    if (row[item] != 0) continue;
    row[item] = 1;
    ++have;
  }
}

}  // namespace

Dataset makeUserItemDataset(int users, unsigned seed, const UserItemOptions& o) {
  checkArguments(users, o);
  Dataset d;
  d.name = "User–item (built-in)";
  d.shape = Shape::tabular(o.items);
  d.samples = Matrix::Zero(o.items, users);
  d.labels.resize(size_t(users));
  for (int g = 1; g <= o.groups; ++g) d.classNames.push_back("taste group " + std::to_string(g));
  const Catalogue catalogue = makeCatalogue(seed, o);
  for (int u = 0; u < users; ++u) {
    d.labels[size_t(u)] = u % o.groups;
    Rng rng = Rng::derive(seed, UserStream, uint64_t(u));
    drawUser(catalogue, u % o.groups, o, rng, d.samples.col(u).data());
  }
  return d;
}

bool holdsInteractions(const Dataset& data) {
  if (data.shape.kind != Shape::Kind::Tabular || data.features() < 2 || data.count() == 0)
    return false;
  return (data.samples.array() == 0 || data.samples.array() == 1).all();
}

Dataset binariseInteractions(const Dataset& data) {
  if (data.shape.kind != Shape::Kind::Tabular)
    throw Error(Error::Code::InvalidArgument,
                "'" + (data.sourcePath.empty() ? data.name : data.sourcePath) +
                    "': user–item data is a table (users × items); this is " +
                    data.shape.describe());
  const Normalisation& n = data.normalisation;
  const auto at = [](const std::vector<float>& v, Eigen::Index i) {
    return v.size() == 1 ? v[0] : v[size_t(i)];
  };
  Dataset out = data;
  out.normalisation = {};
  for (Eigen::Index f = 0; f < data.samples.rows(); ++f) {
    const float scale = at(n.scale, f), offset = at(n.offset, f);
    for (Eigen::Index u = 0; u < data.samples.cols(); ++u)
      out.samples(f, u) = data.samples(f, u) * scale + offset > InteractionThreshold ? 1.0f : 0.0f;
  }
  return out;
}

}  // namespace latent
