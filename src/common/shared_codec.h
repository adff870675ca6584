// How in-memory state that a cluster's instances share (the Bot API's guards, flood control and
// faults; the events hub's counts; a webhook's last error) is written into shared entries
// (domain::SharedEntry): keys of the form "<kind>/<id>[/<id>]", values of integers separated by
// spaces, optionally followed by a newline and a free text. Every instance runs the same build of
// this code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tgi::shared_codec {

// "1 2 3", or "" for none.
std::string Ints(const std::vector<int64_t>& values);

// The integers of `text` (separated by single spaces); nullopt if one is not an integer.
std::optional<std::vector<int64_t>> ParseInts(std::string_view text);

// As Ints and ParseInts, for values never negative (counts): a "-" is refused, and every
// uint64_t is read.
std::string Uints(const std::vector<uint64_t>& values);
std::optional<std::vector<uint64_t>> ParseUints(std::string_view text);

// Splits `key` (the part after the kind's prefix) at '/' into integers; nullopt if a part is not
// one.
std::optional<std::vector<int64_t>> ParseKeyIds(std::string_view key);

}  // namespace tgi::shared_codec
