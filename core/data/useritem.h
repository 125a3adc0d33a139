// User–item interaction data for recommendations: the built-in generator with planted taste
// groups and popularity skew, and the conversion of a users × items table (0/1 or ratings) to
// binary interactions.
#pragma once

#include "data/dataset.h"

namespace latent {

struct UserItemOptions {
  int items = 200;
  int groups = 5;           // taste groups; users cycle through them (balanced labels)
  int itemsPerGroup = 30;   // the items a group prefers (disjoint while they fit)
  int minInteractions = 8;  // per user, drawn uniformly in [min, max]
  int maxInteractions = 30;
  float tasteShare = 0.75f;     // chance that an interaction comes from the group's items
  float popularitySkew = 1.0f;  // item weight 1 / (popularity rank + 1)^skew
};

/// `users` samples of Shape::tabular(items), one user per column, 1 = interacted, else 0
/// (Normalisation::None). User u belongs to taste group u % groups (its label; class names
/// "taste group 1", …). Each interaction is drawn, without repeats, from the group's preferred
/// items with probability tasteShare, else from all items; both draws are weighted by the items'
/// global popularity (a seeded Zipf-like ranking), so a most-popular list is a fair baseline but
/// not the answer. Same (users, seed, options) → same bytes. Throws std::invalid_argument for
/// users < 0, items < 2, groups < 1, itemsPerGroup outside 1..items, min < 1 or max < min or
/// max > items, a share outside [0, 1], a negative skew.
Dataset makeUserItemDataset(int users, unsigned seed, const UserItemOptions& options = {});

/// Whether `data` is a users × items interaction matrix as recommendations need it: tabular, at
/// least 2 items and every stored value exactly 0 or 1.
bool holdsInteractions(const Dataset& data);

/// Binarises a users × items table: a value > 0 (above 1e-4) in the file's units (stored · scale +
/// offset) is an interaction (1), anything else (0, negative) is none (0). So 0/1 files stay as
/// they are and ratings count as interactions whatever their value. The result is tabular, with
/// Normalisation::None and the labels kept. Throws Error(InvalidArgument) for non-tabular data.
Dataset binariseInteractions(const Dataset& data);

}  // namespace latent
