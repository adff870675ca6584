// The differential test of src/text against TDLib itself (tests/text_diff/run.sh): loads
// libtdjson.so (the npm package @prebuilt-tdlib/linux-x64-glibc), asks its td_execute the
// synchronous requests parseTextEntities, getTextEntities and parseMarkdown for many inputs, and
// compares the answers with ParseMarkup, FindEntities and FixFormattedText. No account and no
// network: these requests run offline.
//
//   text_diff_driver LIBTDJSON [--inputs N] [--seed S] [--show K] [--print P]
//
// Prints each difference (up to K of them), the first P inputs with TDLib's answers, and a
// closing summary line:
//   text_diff: N inputs, M equal, K known differences
// Exits 1 if there is a difference that is not a known one.
#include <dlfcn.h>

#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "inputs.h"
#include "text/find_entities.h"
#include "text/fix.h"
#include "text/parse.h"

namespace json = boost::json;
using namespace tgi::text;
using text_diff::HasMarkdownV3Markup;
using text_diff::Input;
using text_diff::ModeName;
using text_diff::RandomInputs;
using text_diff::SpecInputs;

namespace {

using ExecuteFn = const char* (*)(const char*);
ExecuteFn g_execute = nullptr;

json::value Execute(const json::value& request) {
  std::string text = json::serialize(request);
  const char* answer = g_execute(text.c_str());
  if (answer == nullptr) return json::value();
  return json::parse(answer);
}

// --- one canonical line per answer -------------------------------------------------------------

std::string Describe(const Entity& e) {
  std::string s = std::string(EntityTypeName(e.type)) + "(" + std::to_string(e.offset) + "," +
                  std::to_string(e.length);
  switch (e.type) {
    case EntityType::kPre:
      if (!e.argument.empty()) s += ",lang=" + e.argument;
      break;
    case EntityType::kTextLink:
      s += ",url=" + e.argument;
      break;
    case EntityType::kTextMention:
      s += ",user=" + std::to_string(e.user_id);
      break;
    case EntityType::kCustomEmoji:
      s += ",id=" + e.argument;
      break;
    case EntityType::kDateTime:
      s += ",unix=" + std::to_string(e.unix_time) + ",format=" + e.argument;
      break;
    default:
      break;
  }
  return s + ")";
}

std::string Describe(const FormattedText& t) {
  std::string s = json::serialize(json::value(t.text)) + " [";
  for (size_t i = 0; i < t.entities.size(); ++i) {
    if (i) s.push_back(' ');
    s.append(Describe(t.entities[i]));
  }
  return s + "]";
}

// The Bot API's spelling of a dateTimeFormattingType (Client.cpp's JsonEntity).
std::string DateFormat(const json::value& type) {
  if (type.is_null()) return "";
  std::string kind(type.at("@type").as_string());
  if (kind == "dateTimeFormattingTypeRelative") return "r";
  std::string format;
  if (type.at("show_day_of_week").as_bool()) format += 'w';
  std::string date(type.at("date_precision").at("@type").as_string());
  if (date == "dateTimePartPrecisionShort") format += 'd';
  if (date == "dateTimePartPrecisionLong") format += 'D';
  std::string time(type.at("time_precision").at("@type").as_string());
  if (time == "dateTimePartPrecisionShort") format += 't';
  if (time == "dateTimePartPrecisionLong") format += 'T';
  return format;
}

// TDLib's textEntity as one of ours; false for types we never make (media timestamps).
bool FromTdEntity(const json::value& v, Entity* e) {
  e->offset = static_cast<int32_t>(v.at("offset").as_int64());
  e->length = static_cast<int32_t>(v.at("length").as_int64());
  const json::object& type = v.at("type").as_object();
  std::string name(type.at("@type").as_string());
  static const std::map<std::string, EntityType> kSimple = {
      {"textEntityTypeMention", EntityType::kMention},
      {"textEntityTypeHashtag", EntityType::kHashtag},
      {"textEntityTypeCashtag", EntityType::kCashtag},
      {"textEntityTypeBotCommand", EntityType::kBotCommand},
      {"textEntityTypeUrl", EntityType::kUrl},
      {"textEntityTypeEmailAddress", EntityType::kEmail},
      {"textEntityTypePhoneNumber", EntityType::kPhoneNumber},
      {"textEntityTypeBankCardNumber", EntityType::kBankCardNumber},
      {"textEntityTypeBold", EntityType::kBold},
      {"textEntityTypeItalic", EntityType::kItalic},
      {"textEntityTypeUnderline", EntityType::kUnderline},
      {"textEntityTypeStrikethrough", EntityType::kStrikethrough},
      {"textEntityTypeSpoiler", EntityType::kSpoiler},
      {"textEntityTypeCode", EntityType::kCode},
      {"textEntityTypePre", EntityType::kPre},
      {"textEntityTypeBlockQuote", EntityType::kBlockquote},
      {"textEntityTypeExpandableBlockQuote", EntityType::kExpandableBlockquote},
  };
  if (auto it = kSimple.find(name); it != kSimple.end()) {
    e->type = it->second;
  } else if (name == "textEntityTypePreCode") {
    e->type = EntityType::kPre;
    e->argument = std::string(type.at("language").as_string());
  } else if (name == "textEntityTypeTextUrl") {
    e->type = EntityType::kTextLink;
    e->argument = std::string(type.at("url").as_string());
  } else if (name == "textEntityTypeMentionName") {
    e->type = EntityType::kTextMention;
    e->user_id = type.at("user_id").as_int64();
  } else if (name == "textEntityTypeCustomEmoji") {
    e->type = EntityType::kCustomEmoji;
    const json::value& id = type.at("custom_emoji_id");
    e->argument = id.is_string() ? std::string(id.as_string()) : std::to_string(id.as_int64());
  } else if (name == "textEntityTypeDateTime") {
    e->type = EntityType::kDateTime;
    e->unix_time = type.at("unix_time").as_int64();
    const json::value* format = type.if_contains("formatting_type");
    e->argument = format ? DateFormat(*format) : "";
  } else {
    return false;
  }
  return true;
}

json::value ToTdEntity(const Entity& e) {
  json::object type;
  switch (e.type) {
    case EntityType::kBold:
      type["@type"] = "textEntityTypeBold";
      break;
    case EntityType::kItalic:
      type["@type"] = "textEntityTypeItalic";
      break;
    case EntityType::kUnderline:
      type["@type"] = "textEntityTypeUnderline";
      break;
    case EntityType::kStrikethrough:
      type["@type"] = "textEntityTypeStrikethrough";
      break;
    case EntityType::kSpoiler:
      type["@type"] = "textEntityTypeSpoiler";
      break;
    case EntityType::kCode:
      type["@type"] = "textEntityTypeCode";
      break;
    case EntityType::kBlockquote:
      type["@type"] = "textEntityTypeBlockQuote";
      break;
    case EntityType::kExpandableBlockquote:
      type["@type"] = "textEntityTypeExpandableBlockQuote";
      break;
    case EntityType::kPre:
      if (e.argument.empty()) {
        type["@type"] = "textEntityTypePre";
      } else {
        type["@type"] = "textEntityTypePreCode";
        type["language"] = e.argument;
      }
      break;
    case EntityType::kTextLink:
      type["@type"] = "textEntityTypeTextUrl";
      type["url"] = e.argument;
      break;
    case EntityType::kTextMention:
      type["@type"] = "textEntityTypeMentionName";
      type["user_id"] = e.user_id;
      break;
    case EntityType::kCustomEmoji:
      type["@type"] = "textEntityTypeCustomEmoji";
      type["custom_emoji_id"] = e.argument;
      break;
    case EntityType::kDateTime: {
      type["@type"] = "textEntityTypeDateTime";
      type["unix_time"] = e.unix_time;
      if (e.argument == "r") {
        type["formatting_type"] = {{"@type", "dateTimeFormattingTypeRelative"}};
      } else if (!e.argument.empty()) {
        auto precision = [&](char s, char l) {
          const char* p = e.argument.find(s) != std::string::npos   ? "dateTimePartPrecisionShort"
                          : e.argument.find(l) != std::string::npos ? "dateTimePartPrecisionLong"
                                                                    : "dateTimePartPrecisionNone";
          return json::object{{"@type", p}};
        };
        type["formatting_type"] = {{"@type", "dateTimeFormattingTypeAbsolute"},
                                   {"time_precision", precision('t', 'T')},
                                   {"date_precision", precision('d', 'D')},
                                   {"show_day_of_week", e.argument.find('w') != std::string::npos}};
      }
      break;
    }
    default:
      type["@type"] = "textEntityTypeMention";
      break;
  }
  return json::object{{"@type", "textEntity"},
                      {"offset", e.offset},
                      {"length", e.length},
                      {"type", std::move(type)}};
}

// Set by DescribeTdAnswer when TDLib's answer had a media timestamp (which we never find).
bool g_had_media_timestamp = false;

// "error: <message>" or the described formatted text.
std::string DescribeTdAnswer(const json::value& answer, bool keep_media_timestamps = false) {
  g_had_media_timestamp = false;
  const json::object& o = answer.as_object();
  std::string type(o.at("@type").as_string());
  if (type == "error") return "error: " + std::string(o.at("message").as_string());
  FormattedText t;
  if (type == "formattedText") t.text = std::string(o.at("text").as_string());
  for (const json::value& v : o.at("entities").as_array()) {
    Entity e;
    if (FromTdEntity(v, &e) || keep_media_timestamps) {
      t.entities.push_back(std::move(e));
    } else {
      g_had_media_timestamp = true;
    }
  }
  return Describe(t);
}

// --- comparing --------------------------------------------------------------------------------

std::string OursParse(const Input& in) {
  auto result = ParseMarkup(in.text, in.mode);
  if (!result) return "error: Can't parse entities: " + result.error();
  return Describe(*result);
}

json::value g_last_td_parse;  // TDLib's last parseTextEntities answer

std::string TdParse(const Input& in) {
  json::object mode;
  if (in.mode == ParseMode::kHtml) {
    mode["@type"] = "textParseModeHTML";
  } else {
    mode["@type"] = "textParseModeMarkdown";
    mode["version"] = in.mode == ParseMode::kMarkdownV2 ? 2 : 1;
  }
  g_last_td_parse = Execute(json::object{
      {"@type", "parseTextEntities"}, {"text", in.text}, {"parse_mode", std::move(mode)}});
  return DescribeTdAnswer(g_last_td_parse);
}

std::string OursFind(const Input& in) { return Describe(FormattedText{"", FindEntities(in.text)}); }

std::string TdFind(const Input& in) {
  return DescribeTdAnswer(Execute(json::object{{"@type", "getTextEntities"}, {"text", in.text}}));
}

// TDLib's parseMarkdown: get_message_entities (all types kept) + fix_formatted_text with
// allow_empty, skip_new_entities and skip_trim (+ its markdown v3 pass, kept out of the inputs).
std::string OursFix(const Input& in) {
  auto prepared = PrepareInputEntities(in.entities);
  if (!prepared) return "error: " + prepared.error();
  auto fixed = FixFormattedText(FormattedText{in.text, std::move(*prepared)},
                                {.allow_empty = true, .skip_trim = true, .find_entities = false});
  if (!fixed) return "error: " + fixed.error();
  return Describe(*fixed);
}

std::string TdFix(const Input& in) {
  json::array entities;
  for (const Entity& e : in.entities) entities.push_back(ToTdEntity(e));
  return DescribeTdAnswer(Execute(json::object{
      {"@type", "parseMarkdown"},
      {"text",
       {{"@type", "formattedText"}, {"text", in.text}, {"entities", std::move(entities)}}}}));
}

// Parsing then fixing (allow_empty, skip_trim, no found entities, as parseMarkdown): TDLib's
// parse result through its parseMarkdown, ours through FixFormattedText.
std::string OursParseFix(const Input& in) {
  auto parsed = ParseMarkup(in.text, in.mode);
  if (!parsed) return "error: " + parsed.error();
  auto prepared = PrepareInputEntities(std::move(parsed->entities));
  if (!prepared) return "error: " + prepared.error();
  parsed->entities = std::move(*prepared);
  auto fixed = FixFormattedText(std::move(*parsed),
                                {.allow_empty = true, .skip_trim = true, .find_entities = false});
  if (!fixed) return "error: " + fixed.error();
  return Describe(*fixed);
}

std::string TdParseFix() {
  json::object text = g_last_td_parse.as_object();
  return DescribeTdAnswer(
      Execute(json::object{{"@type", "parseMarkdown"}, {"text", std::move(text)}}));
}

std::string Show(const std::string& s) { return json::serialize(json::value(s)); }

// The entities of a Describe()d answer, one per element, and the text before them.
std::vector<std::string> SplitAnswer(const std::string& answer, std::string* text) {
  std::vector<std::string> parts;
  size_t open = answer.rfind(" [");
  *text = answer.substr(0, open);
  if (open == std::string::npos) return parts;
  std::string list = answer.substr(open + 2, answer.size() - open - 3);
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i] == '(') ++depth;
    if (list[i] == ')') --depth;
    if (list[i] == ' ' && depth == 0) {
      parts.push_back(list.substr(start, i - start));
      start = i + 1;
    }
  }
  if (!list.empty()) parts.push_back(list.substr(start));
  return parts;
}

// Differences kept on purpose (README.md), by name, or nullptr.
const char* KnownDifference(const Input& in, const std::string& ours, const std::string& theirs) {
  // Entities with equal sort keys (the same range and priority: a blockquote and an expandable
  // one, a text_link and a text_mention) come in the order TDLib's std::sort leaves them, which
  // is not stable and depends on the C++ library TDLib was built with; we keep the order in
  // which the parser closed them.
  std::string our_text, their_text;
  auto our_entities = SplitAnswer(ours, &our_text);
  auto their_entities = SplitAnswer(theirs, &their_text);
  if (our_text == their_text && !our_entities.empty()) {
    std::sort(our_entities.begin(), our_entities.end());
    std::sort(their_entities.begin(), their_entities.end());
    if (our_entities == their_entities) return "order of entities with equal sort keys";
  }
  // getTextEntities also finds media timestamps ("1:02:03"), which we never look for (the Bot
  // API skips them for bots), and one of them can keep an intersecting URL out.
  if (in.kind == Input::kFind && g_had_media_timestamp) return "media timestamp";
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: text_diff_driver LIBTDJSON [--inputs N] [--seed S] [--show K]\n";
    return 2;
  }
  int count = 30000;
  uint64_t seed = 20261207;
  int show = 20;
  int print = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--inputs") count = std::stoi(argv[i + 1]);
    if (flag == "--seed") seed = std::stoull(argv[i + 1]);
    if (flag == "--show") show = std::stoi(argv[i + 1]);
    if (flag == "--print") print = std::stoi(argv[i + 1]);
  }
  void* library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    std::cerr << "text_diff: can't load " << argv[1] << ": " << dlerror() << "\n";
    return 2;
  }
  g_execute = reinterpret_cast<ExecuteFn>(dlsym(library, "td_execute"));
  if (g_execute == nullptr) {
    std::cerr << "text_diff: no td_execute in " << argv[1] << "\n";
    return 2;
  }
  Execute(json::object{{"@type", "setLogVerbosityLevel"}, {"new_verbosity_level", 0}});
  std::string version(
      Execute(json::object{{"@type", "getOption"}, {"name", "version"}}).at("value").as_string());

  std::vector<Input> inputs = SpecInputs();
  for (Input& in : RandomInputs(seed, count)) inputs.push_back(std::move(in));

  int equal = 0, known = 0, unknown = 0;
  std::map<std::string, int> per_kind;
  std::map<std::string, int> errors_per_kind;
  std::map<std::string, int> known_per_name;
  std::string last_known;  // the known difference of the last comparison, if any
  auto compare = [&](const Input& in, const std::string& kind, const std::string& ours,
                     const std::string& theirs) {
    std::string previous_known = std::move(last_known);
    last_known.clear();
    ++per_kind[kind];
    if (theirs.starts_with("error: ")) ++errors_per_kind[kind];
    if (print > 0 && print-- > 0) {
      std::cout << "INPUT " << kind << " " << Show(in.text) << "\n  tdlib: " << theirs << "\n";
    }
    if (ours == theirs) {
      ++equal;
      return;
    }
    std::string name = KnownDifference(in, ours, theirs) ? KnownDifference(in, ours, theirs) : "";
    // After fixing, of two entities with the same range that can't both stay, the first stays:
    // which one that is follows from the order above.
    if (name.empty() && kind.ends_with("+fix") && !previous_known.empty()) {
      name = previous_known + ", after fixing";
    }
    if (!name.empty()) {
      ++known;
      ++known_per_name[name];
      last_known = name;
      return;
    }
    if (++unknown <= show) {
      std::cout << "DIFF " << kind << " " << Show(in.text);
      if (in.kind == Input::kFix) {
        std::cout << " entities:";
        for (const Entity& e : in.entities) std::cout << " " << Describe(e);
      }
      std::cout << "\n  tdlib: " << theirs << "\n  ours:  " << ours << "\n";
    }
  };
  size_t compared = 0;
  for (const Input& in : inputs) {
    switch (in.kind) {
      case Input::kParse: {
        std::string theirs = TdParse(in);
        compare(in, ModeName(in.mode), OursParse(in), theirs);
        ++compared;
        // The parsed text through the normalisation too, unless TDLib's parseMarkdown would read
        // markdown in it.
        if (!theirs.starts_with("error: ") &&
            !HasMarkdownV3Markup(std::string(g_last_td_parse.at("text").as_string()))) {
          compare(in, std::string(ModeName(in.mode)) + "+fix", OursParseFix(in), TdParseFix());
          ++compared;
        }
        break;
      }
      case Input::kFind:
        compare(in, "find", OursFind(in), TdFind(in));
        ++compared;
        break;
      case Input::kFix:
        compare(in, "fix", OursFix(in), TdFix(in));
        ++compared;
        break;
    }
  }
  std::cout << "text_diff: TDLib " << version << ", seed " << seed << ":";
  for (auto& [kind, n] : per_kind) {
    std::cout << " " << kind << " " << n << " (" << errors_per_kind[kind] << " errors)";
  }
  std::cout << "\n";
  for (auto& [name, n] : known_per_name)
    std::cout << "text_diff: known: " << name << " " << n << "\n";
  std::cout << "text_diff: " << compared << " inputs, " << equal << " equal, " << known
            << " known differences";
  if (unknown) std::cout << ", " << unknown << " UNEXPECTED differences";
  std::cout << "\n";
  return unknown == 0 ? 0 : 1;
}
