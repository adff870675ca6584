// Every invite link of the world, in the order they were made, found by hash or by position.
//
// A rotation looks up, stores and revokes links several times per request, and the world keeps
// every link it ever made, so this is one of the hottest structures of the server. Each link is
// stored once: the hash index holds positions and hashes through the links themselves, where a
// map keyed by std::string would copy every 16-character hash into a heap block of its own.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "domain/model.h"

namespace tgi::domain {

class LinkTable {
 public:
  using Index = uint32_t;

  LinkTable();
  LinkTable(const LinkTable& other);
  LinkTable& operator=(const LinkTable& other);
  LinkTable(LinkTable&&) noexcept = default;
  LinkTable& operator=(LinkTable&&) noexcept = default;
  ~LinkTable() = default;

  // Inserts `link`, or replaces the link with its hash (keeping its position). Returns the
  // position and whether the link is new.
  std::pair<Index, bool> Put(const InviteLink& link);

  const InviteLink* Find(std::string_view hash) const;
  std::optional<Index> IndexOf(std::string_view hash) const;
  bool contains(std::string_view hash) const { return IndexOf(hash).has_value(); }
  const InviteLink& at(Index i) const { return (*links_)[i]; }
  size_t size() const { return links_->size(); }

 private:
  // Hash and equality over positions, looked up by hash (heterogeneous lookup). They reach the
  // links through the deque's address, which a move of the table keeps (the deque is on the heap).
  struct HashOf {
    using is_transparent = void;
    const std::deque<InviteLink>* links;
    size_t operator()(std::string_view h) const noexcept {
      return std::hash<std::string_view>{}(h);
    }
    size_t operator()(Index i) const noexcept { return (*this)((*links)[i].hash); }
  };
  struct SameHash {
    using is_transparent = void;
    const std::deque<InviteLink>* links;
    std::string_view Of(std::string_view h) const { return h; }
    std::string_view Of(Index i) const { return (*links)[i].hash; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const noexcept {
      return Of(a) == Of(b);
    }
  };

  void Reindex();

  std::unique_ptr<std::deque<InviteLink>> links_;
  std::unordered_set<Index, HashOf, SameHash> index_;
};

}  // namespace tgi::domain
