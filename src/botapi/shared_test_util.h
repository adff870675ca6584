// Test helper for the Bot API's shared state in cluster mode (guards, flood control, faults):
// hands every shared entry (domain::SharedEntry) a mutation carries to another instance's
// object, as the replay of a round does, so a test can check that the other instance then
// behaves as if it had seen the calls itself.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "domain/store.h"

namespace tgi::botapi::testing {

// Applies each of `m.shared`, in order, to `to` (any object with
// `bool ApplyShared(std::string_view key, std::string_view value)`). Every entry is applied even
// after one is refused; fails, naming the refused keys, if any was. Use as
// ASSERT_TRUE(ApplyAllShared(b, m)) or EXPECT_TRUE(...).
template <typename Instance>
::testing::AssertionResult ApplyAllShared(Instance& to, const domain::Mutation& m) {
  std::string refused;
  for (const domain::SharedEntry& e : m.shared) {
    if (!to.ApplyShared(e.key, e.value)) refused += (refused.empty() ? "" : ", ") + e.key;
  }
  if (refused.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "refused shared entries: " << refused;
}

}  // namespace tgi::botapi::testing
