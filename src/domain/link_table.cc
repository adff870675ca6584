#include "domain/link_table.h"

#include <limits>
#include <stdexcept>

namespace tgi::domain {

LinkTable::LinkTable()
    : links_(std::make_unique<std::deque<InviteLink>>()),
      index_(0, HashOf{links_.get()}, SameHash{links_.get()}) {}

LinkTable::LinkTable(const LinkTable& other)
    : links_(std::make_unique<std::deque<InviteLink>>(*other.links_)),
      index_(0, HashOf{links_.get()}, SameHash{links_.get()}) {
  Reindex();
}

LinkTable& LinkTable::operator=(const LinkTable& other) {
  if (this != &other) *this = LinkTable(other);
  return *this;
}

void LinkTable::Reindex() {
  index_.clear();
  index_.reserve(links_->size());
  for (Index i = 0; i < links_->size(); ++i) index_.insert(i);
}

std::pair<LinkTable::Index, bool> LinkTable::Put(const InviteLink& link) {
  if (auto it = index_.find(std::string_view(link.hash)); it != index_.end()) {
    (*links_)[*it] = link;  // same hash: the index entry stays valid
    return {*it, false};
  }
  if (links_->size() >= std::numeric_limits<Index>::max())
    throw std::length_error("too many invite links");
  const Index i = static_cast<Index>(links_->size());
  links_->push_back(link);
  index_.insert(i);
  return {i, true};
}

std::optional<LinkTable::Index> LinkTable::IndexOf(std::string_view hash) const {
  auto it = index_.find(hash);
  if (it == index_.end()) return std::nullopt;
  return *it;
}

const InviteLink* LinkTable::Find(std::string_view hash) const {
  auto i = IndexOf(hash);
  return i ? &(*links_)[*i] : nullptr;
}

}  // namespace tgi::domain
