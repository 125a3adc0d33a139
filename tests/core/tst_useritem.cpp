// Tests for the built-in user–item data (binary, balanced taste groups that really prefer their
// items, popularity skew, determinism) and for turning user–item tables into interactions.
#include <QtTest>
#include <algorithm>
#include <numeric>

#include "data/useritem.h"

using latent::Dataset;

namespace {

/// The `k` items most often chosen by users with label `group`.
std::vector<int> topItemsOfGroup(const Dataset& d, int group, int k) {
  std::vector<double> counts(size_t(d.features()), 0);
  for (int u = 0; u < d.count(); ++u)
    if (d.labels[size_t(u)] == group)
      for (int i = 0; i < d.features(); ++i) counts[size_t(i)] += d.samples(i, u);
  std::vector<int> order(counts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return counts[size_t(a)] > counts[size_t(b)]; });
  order.resize(size_t(k));
  return order;
}

/// Mean share of a user's interactions that fall in `items`, over users with label `group`
/// (or every other label when `others`).
double shareIn(const Dataset& d, const std::vector<int>& items, int group, bool others) {
  double sum = 0;
  int users = 0;
  for (int u = 0; u < d.count(); ++u) {
    if ((d.labels[size_t(u)] == group) == others) continue;
    double in = 0;
    for (int i : items) in += d.samples(i, u);
    sum += in / d.samples.col(u).sum();
    ++users;
  }
  return sum / users;
}

}  // namespace

class tst_UserItem : public QObject {
  Q_OBJECT

 private slots:
  void hasTheDocumentedLayout();
  void sameSeedSameInteractions();
  void tasteGroupsPreferTheirItems();
  void popularityIsSkewed();
  void rejectsBadArguments();
  void zeroOneTablesAreInteractions();
  void ratingsAreBinarisedInTheFileUnits();
};

void tst_UserItem::hasTheDocumentedLayout() {
  const Dataset d = latent::makeUserItemDataset(1000, 1);
  d.validate();
  QCOMPARE(d.shape, latent::Shape::tabular(200));
  QCOMPARE(d.count(), 1000);
  QCOMPARE(d.normalisation.kind, latent::Normalisation::Kind::None);
  QCOMPARE(int(d.classNames.size()), 5);
  QCOMPARE(d.classNames[0], std::string("taste group 1"));
  std::vector<int> perGroup(5, 0);
  for (int l : d.labels) ++perGroup[size_t(l)];
  QCOMPARE(perGroup, std::vector<int>(5, 200));
  QVERIFY((d.samples.array() == 0 || d.samples.array() == 1).all());
  for (int u = 0; u < d.count(); ++u) {
    const float n = d.samples.col(u).sum();
    QVERIFY2(n >= 8 && n <= 30, qPrintable(QString("user %1 has %2").arg(u).arg(n)));
  }
  QVERIFY(latent::holdsInteractions(d));
}

void tst_UserItem::sameSeedSameInteractions() {
  const Dataset a = latent::makeUserItemDataset(300, 4), b = latent::makeUserItemDataset(300, 4);
  QCOMPARE(a.samples, b.samples);
  QCOMPARE(a.labels, b.labels);
  const Dataset c = latent::makeUserItemDataset(300, 5);
  QVERIFY((a.samples - c.samples).cwiseAbs().sum() > 1000);
  // A user's row does not depend on how many users were generated.
  QCOMPARE(latent::makeUserItemDataset(100, 4).samples, a.samples.leftCols(100));
}

void tst_UserItem::tasteGroupsPreferTheirItems() {
  const Dataset d = latent::makeUserItemDataset(1000, 1);
  for (int g = 0; g < 5; ++g) {
    const std::vector<int> top = topItemsOfGroup(d, g, 30);
    const double own = shareIn(d, top, g, false), others = shareIn(d, top, g, true);
    qInfo("group %d: %.2f of its users' interactions in its top 30 items, %.2f for others", g + 1,
          own, others);
    QVERIFY(own > 0.5);
    QVERIFY(own > 2 * others);
  }
}

void tst_UserItem::popularityIsSkewed() {
  const Dataset d = latent::makeUserItemDataset(1000, 1);
  Eigen::VectorXf counts = d.samples.rowwise().sum();
  std::vector<float> sorted(counts.data(), counts.data() + counts.size());
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  qInfo("item counts: most %g, 10th %g, median %g", sorted[0], sorted[9], sorted[100]);
  QVERIFY(sorted[0] > 4 * sorted[100]);
  // Without skew the counts are far flatter.
  const Dataset flat = latent::makeUserItemDataset(1000, 1, {.popularitySkew = 0});
  Eigen::VectorXf flatCounts = flat.samples.rowwise().sum();
  QVERIFY(flatCounts.maxCoeff() < 0.5f * counts.maxCoeff());
}

void tst_UserItem::rejectsBadArguments() {
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument, latent::makeUserItemDataset(-1, 1));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::makeUserItemDataset(10, 1, {.items = 20}));  // 30 per group
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::makeUserItemDataset(10, 1, {.groups = 0}));
  QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                           latent::makeUserItemDataset(10, 1, {.tasteShare = 1.5f}));
}

void tst_UserItem::zeroOneTablesAreInteractions() {
  Dataset d;
  d.shape = latent::Shape::tabular(3);
  d.samples = latent::Matrix{{0, 1}, {1, 0}, {1, 1}};
  QVERIFY(latent::holdsInteractions(d));
  d.samples(0, 0) = 0.5f;
  QVERIFY(!latent::holdsInteractions(d));
  d.samples(0, 0) = 0;
  d.shape = latent::Shape::sequence(3, 1);
  QVERIFY(!latent::holdsInteractions(d));
  QVERIFY_THROWS_EXCEPTION(latent::Error, latent::binariseInteractions(d));
}

void tst_UserItem::ratingsAreBinarisedInTheFileUnits() {
  // Ratings 0 (none) .. 5, stored standardised per item as the CSV loader does: a stored value
  // is not the rating, the recorded normalisation says what it was.
  const latent::Matrix ratings{{0, 4, 0, 1}, {5, 0, 0, 3}, {0, 0, 2, 0}};  // items × users
  Dataset d;
  d.shape = latent::Shape::tabular(3);
  d.labels = {0, 1, 0, 1};
  d.normalisation.kind = latent::Normalisation::Kind::Standardise;
  d.samples = ratings;
  d.normalisation.offset.clear();
  d.normalisation.scale.clear();
  for (int f = 0; f < 3; ++f) {
    const float mean = ratings.row(f).mean();
    const float sd = std::sqrt((ratings.row(f).array() - mean).square().mean());
    d.normalisation.offset.push_back(mean);
    d.normalisation.scale.push_back(sd);
    d.samples.row(f) = (ratings.row(f).array() - mean) / sd;
  }
  QVERIFY(!latent::holdsInteractions(d));
  const Dataset b = latent::binariseInteractions(d);
  const latent::Matrix expected = (ratings.array() > 0).cast<float>();
  QVERIFY2(b.samples == expected, "binarised ratings differ from ratings > 0");
  QCOMPARE(b.labels, d.labels);
  QCOMPARE(b.normalisation.kind, latent::Normalisation::Kind::None);
  QVERIFY(latent::holdsInteractions(b));
}

QTEST_APPLESS_MAIN(tst_UserItem)
#include "tst_useritem.moc"
