// latentlab-cli recommend: a user's top-N unseen items from an autoencoder trained on users ×
// items interactions, or (--evaluate) hit rate@k and NDCG@k under leave-one-out against the
// most-popular baseline.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/recommend.h"
#include "commands.h"
#include "common.h"
#include "data/useritem.h"
#include "persist/modelfile.h"

namespace cli {
namespace {

struct RecommendOptions {
  std::string model, data, users = "validation";
  int user = -1;
  int top = 10;
  int k = 10;
  unsigned seed = 1;
  bool evaluate = false;
  bool json = false;
  DataOptions load;
};

latent::Error invalidOption(const std::string& message) {
  return latent::Error(latent::Error::Code::InvalidArgument, message);
}

/// Users to evaluate: the model's validation users (the split its trainer made from the spec's
/// seed and fraction, so none of them was trained on when `data` is its training data), or all.
std::vector<int> evaluatedUsers(const latent::Dataset& data, const latent::ModelSpec& spec,
                                const std::string& which) {
  if (which == "all") {
    std::vector<int> all(size_t(data.count()));
    std::iota(all.begin(), all.end(), 0);
    return all;
  }
  if (which != "validation")
    throw invalidOption("--users '" + which + "': choose validation or all");
  return latent::splitIndices(data.count(), spec.training.validationFraction, spec.training.seed,
                              data.labels)
      .validation;
}

void printEvaluation(const RecommendOptions& o, const latent::Model& model,
                     const latent::Dataset& data) {
  const std::vector<int> users = evaluatedUsers(data, model.spec(), o.users);
  const latent::RecommendationReport r =
      latent::evaluateLeaveOneOut(model, data.samples, users, o.seed, o.k);
  const std::string at = "_at_" + std::to_string(o.k);
  const nlohmann::json report = {{"users", r.model.users},
                                 {"items", r.items},
                                 {"k", o.k},
                                 {"evaluated", o.users},
                                 {"seed", o.seed},
                                 {"hit_rate" + at, r.model.hitRate},
                                 {"ndcg" + at, r.model.ndcg},
                                 {"popular_hit_rate" + at, r.popular.hitRate},
                                 {"popular_ndcg" + at, r.popular.ndcg}};
  if (o.json) {
    std::cout << report.dump() << std::endl;
    return;
  }
  std::cout << "leave-one-out on " << r.model.users << " " << o.users << " users, " << r.items
            << " items\n"
            << "autoencoder:  hit rate@" << o.k << " " << r.model.hitRate << ", NDCG@" << o.k << " "
            << r.model.ndcg << "\n"
            << "most popular: hit rate@" << o.k << " " << r.popular.hitRate << ", NDCG@" << o.k
            << " " << r.popular.ndcg << "\n";
}

void printRecommendations(const RecommendOptions& o, const latent::Model& model,
                          const latent::Dataset& data) {
  if (o.user < 0 || o.user >= data.count())
    throw invalidOption("--user " + std::to_string(o.user) + ": '" + o.data + "' has users 0.." +
                        std::to_string(data.count() - 1));
  const latent::Vector known = data.samples.col(o.user);
  const latent::Matrix scores = latent::recommendationScores(model, known);
  const auto top = latent::topUnseen(scores.col(0), known, o.top);
  std::vector<int> knownItems;
  for (Eigen::Index i = 0; i < known.size(); ++i)
    if (known(i) != 0) knownItems.push_back(int(i));
  nlohmann::json list = nlohmann::json::array();
  for (const latent::ScoredItem& s : top) list.push_back({{"item", s.item}, {"score", s.score}});
  if (o.json) {
    std::cout
        << nlohmann::json{{"user", o.user}, {"known", knownItems}, {"recommendations", list}}.dump()
        << std::endl;
    return;
  }
  std::cout << "user " << o.user << " knows " << knownItems.size()
            << " items: " << nlohmann::json(knownItems).dump() << "\n";
  for (size_t r = 0; r < top.size(); ++r)
    std::cout << r + 1 << ". item " << top[r].item << "  score " << top[r].score << "\n";
}

void runRecommend(const RecommendOptions& o) {
  if (o.evaluate == (o.user >= 0))
    throw invalidOption("give either --user U (recommendations for one user) or --evaluate");
  if (o.top < 1 || o.k < 1) throw invalidOption("--top and --k must be at least 1");
  const latent::LoadedModel loaded = latent::loadModelFile(o.model);
  // Interactions are always 0/1 here, as the model was trained on them (see --interactions).
  const auto data = std::make_shared<const latent::Dataset>(
      latent::binariseInteractions(*loadData(o.data, o.load.toLoadOptions())));
  requireFeatures(*data, o.data, loaded.model->inputSize(), "the model in '" + o.model + "'");
  if (o.evaluate)
    printEvaluation(o, *loaded.model, *data);
  else
    printRecommendations(o, *loaded.model, *data);
}

}  // namespace

void addRecommendCommand(CLI::App& app) {
  auto o = std::make_shared<RecommendOptions>();
  auto* sub = app.add_subcommand(
      "recommend",
      "Recommend unseen items to a user from users × items interactions (any value > 0 is an "
      "interaction), or --evaluate hit rate and NDCG against the most-popular baseline");
  sub->add_option("--model", o->model, "Model file trained on the interactions")->required();
  sub->add_option("--data", o->data, "Users × items table (one user per row), or builtin:useritem")
      ->required();
  sub->add_option("--user", o->user, "The user (row, from 0) to recommend to");
  sub->add_option("--top", o->top, "How many items to recommend")->capture_default_str();
  sub->add_flag("--evaluate", o->evaluate,
                "Leave one interaction out per user and report hit rate@k and NDCG@k of the model "
                "and of the most popular items");
  sub->add_option("--k", o->k, "--evaluate: the cut-off k")->capture_default_str();
  sub->add_option("--users", o->users,
                  "--evaluate: validation (the model's own validation split of --data: users it "
                  "was not trained on) | all")
      ->capture_default_str();
  sub->add_option("--seed", o->seed, "--evaluate: which interaction is held out per user")
      ->capture_default_str();
  addDataOptions(sub, o->load);
  sub->add_flag("--json", o->json, "Print one JSON line");
  sub->callback([o] { runRecommend(*o); });
}

}  // namespace cli
