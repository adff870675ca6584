// Errors as values: Result<T, E> holds either a T or an E, in the manner of leveldb's Status and
// tdlib's Result<T>. std::expected is C++23; this is the small part of it we need.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace tgi {

// A plain error for layers that need no structured kind: a message, never containing a secret.
struct Error {
  std::string message;
};

template <typename E>
struct Unexpected {
  // A constructor, not an aggregate: clang 14 (the fuzz build) lacks C++20's parenthesized
  // aggregate initialization, which `Unexpected(text)` would need.
  Unexpected(E e) : error(std::move(e)) {}  // NOLINT: `return {text};` is the usual form
  E error;
};
template <typename E>
Unexpected(E) -> Unexpected<E>;

template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  template <typename G>
  Result(Unexpected<G> u) : v_(std::in_place_index<1>, E(std::move(u.error))) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok().
  const E& error() const { return std::get<1>(v_); }
  E& error() { return std::get<1>(v_); }

 private:
  std::variant<T, E> v_;
};

// Result<void>: success or an error.
template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  template <typename G>
  Result(Unexpected<G> u) : error_(E(std::move(u.error))), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const { return error_; }

 private:
  E error_{};
  bool ok_ = true;
};

using Status = Result<void, Error>;

inline Unexpected<Error> Fail(std::string message) { return {Error{std::move(message)}}; }

}  // namespace tgi
