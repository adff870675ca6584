// SharedText: an immutable string whose copies share one buffer. Copying one costs a reference
// count, not the text, and the text lives as long as its last copy: an update's JSON is made
// once, kept by the bot's queue, and handed to every getUpdates answer and webhook delivery
// that sends it without being copied again.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace tgi {

class SharedText {
 public:
  SharedText() = default;
  // Implicit: a SharedText is made wherever a string is given.
  SharedText(std::string text)  // NOLINT(google-explicit-constructor)
      : text_(text.empty() ? nullptr : std::make_shared<const std::string>(std::move(text))) {}
  SharedText(const char* text) : SharedText(std::string(text)) {}  // NOLINT

  // Implicit: reads as a string_view (valid while this SharedText, or a copy, lives).
  operator std::string_view() const { return view(); }  // NOLINT(google-explicit-constructor)
  std::string_view view() const { return text_ ? std::string_view(*text_) : std::string_view(); }
  std::string str() const { return std::string(view()); }
  const char* data() const { return view().data(); }
  size_t size() const { return text_ ? text_->size() : 0; }
  bool empty() const { return size() == 0; }

  friend bool operator==(const SharedText& a, const SharedText& b) { return a.view() == b.view(); }
  friend bool operator==(const SharedText& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const SharedText& a, const char* b) { return a.view() == b; }
  friend std::ostream& operator<<(std::ostream& out, const SharedText& t) {
    return out << t.view();
  }

 private:
  std::shared_ptr<const std::string> text_;  // null for the empty text
};

}  // namespace tgi
