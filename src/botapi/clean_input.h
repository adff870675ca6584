// TDLib's clean_input_string (td/telegram/misc.cpp), which every plain string a bot sends through
// TDLib goes through: button texts and URLs, callback answers, ... (formatted text has its own,
// offset-keeping cleaning in src/text, spec 2.5).
#pragma once

#include <string>

namespace tgi::botapi {

// Returns false, leaving `s` alone, if `s` is not well-formed UTF-8. Otherwise cleans `s` in place:
// bytes 0-31 but '\n' and '\r' become a space, '\r' is removed, U+2028..U+202E and the combining
// marks U+0333, U+033F, U+030A are removed, in a run of U+200E/U+200F marks every mark but the
// last becomes U+200C, and the result is cut (at a character boundary) below 35,000 bytes.
bool CleanInputString(std::string& s);

}  // namespace tgi::botapi
