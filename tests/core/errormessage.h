// The message (and optionally the code) of the latent::Error a call throws: the loader tests
// assert that bad input is reported by name, so they compare messages rather than just catching.
#pragma once

#include <QString>
#include <functional>

#include "data/types.h"

namespace testutil {

/// Runs `f`; returns the message of the latent::Error it throws (and stores its code), or an
/// empty string when it throws nothing.
inline QString messageOf(const std::function<void()>& f, latent::Error::Code* code = nullptr) {
  try {
    f();
  } catch (const latent::Error& e) {
    if (code) *code = e.code();
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace testutil
