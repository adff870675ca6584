# Writes a man page from a program's --help and --version, at build time (cmake -P):
#   cmake -DPROGRAM=path/to/tginvited -DNAME=tginvited -DSECTION=8 -DSUMMARY="..." -DOUTPUT=x.8
#         -P manpage.cmake
# The --help text's layout (options.cc's kUsage, the tginvite command's HelpText) maps to roff:
#   "Usage: NAME ARGS"                  -> SYNOPSIS
#   text before the first heading       -> DESCRIPTION
#   "Heading:" (a line ending in ':'    -> .SH HEADING
#     at column 0)
#   "  -x, --name VALUE   meaning"      -> .TP, the term in bold and the meaning below it; a term
#     (two spaces, then two or more       alone on its line takes the next indented lines as its
#     spaces before the meaning, or     meaning, and deeper-indented lines continue it
#     "  3  meaning" for exit codes)
#   any other line                      -> running text (a blank line ends a paragraph)
# So the man page cannot drift from --help: it is made from it. Nothing here is downloaded or
# needs help2man.
foreach(var PROGRAM NAME SECTION SUMMARY OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "manpage.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND ${PROGRAM} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --help exited ${rc}")
endif()
execute_process(COMMAND ${PROGRAM} --version OUTPUT_VARIABLE version RESULT_VARIABLE rc
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --version exited ${rc}")
endif()

# roff text: backslashes first, then hyphens as minus signs (so options copy and paste), and a
# line starting with '.' or '\'' escaped so it is not read as a request.
function(roff_escape out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  if(text MATCHES "^[.']")
    set(text "\\&${text}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

string(TOUPPER "${NAME}" upper_name)
roff_escape(summary_roff "${SUMMARY}")
set(page ".\\\" Generated from `${NAME} --help` by cmake/manpage.cmake; do not edit.\n")
string(APPEND page ".TH ${upper_name} ${SECTION} \"\" \"${version}\"\n")
string(APPEND page ".SH NAME\n${NAME} \\- ${summary_roff}\n")

# CMake lists split on ';': protect them before splitting the text into lines.
string(REPLACE ";" "\\;" help "${help}")
string(REPLACE "\n" ";" lines "${help}")
set(in_description FALSE)
set(term_pending FALSE)  # a term printed, its meaning not yet
foreach(line IN LISTS lines)
  if(line MATCHES "^Usage: ${NAME} ?(.*)$")
    roff_escape(args "${CMAKE_MATCH_1}")
    string(APPEND page ".SH SYNOPSIS\n.B ${NAME}\n${args}\n.SH DESCRIPTION\n")
    set(in_description TRUE)
  elseif(line STREQUAL "")
    if(NOT term_pending)
      string(APPEND page ".PP\n")
    endif()
  elseif(line MATCHES "^([^ ].*):$")
    string(TOUPPER "${CMAKE_MATCH_1}" heading)
    string(REGEX REPLACE " \\(.*\\)$" "" heading "${heading}")
    roff_escape(heading "${heading}")
    string(APPEND page ".SH \"${heading}\"\n")
    # A parenthesis after the heading ("Options (a value may also be ...):") is kept as text.
    if(line MATCHES "\\((.*)\\):$")
      roff_escape(note "${CMAKE_MATCH_1}")
      string(APPEND page "${note}.\n")
    endif()
  elseif(line MATCHES "^  ([^ ].*[^ ])   +([^ ].*)$" OR line MATCHES "^  ([0-9]+)  +([^ ].*)$")
    # Matched again alone: an OR's second test clears the first one's CMAKE_MATCH_n.
    if(NOT line MATCHES "^  ([^ ].*[^ ])   +([^ ].*)$")
      string(REGEX MATCH "^  ([0-9]+)  +([^ ].*)$" unused "${line}")
    endif()
    roff_escape(term "${CMAKE_MATCH_1}")
    roff_escape(meaning "${CMAKE_MATCH_2}")
    string(APPEND page ".TP\n.B ${term}\n${meaning}\n")
    set(term_pending FALSE)
  elseif(line MATCHES "^  ([-A-Za-z].*[^ ])$" AND NOT term_pending)
    # A term alone on its line ("  --webhook-retry-base-ms N"); or an indented line of running
    # text, which this reads the same way (roff shows it indented, as --help does).
    roff_escape(term "${CMAKE_MATCH_1}")
    string(APPEND page ".TP\n.B ${term}\n")
    set(term_pending TRUE)
  elseif(line MATCHES "^ +([^ ].*)$")
    roff_escape(text "${CMAKE_MATCH_1}")
    string(APPEND page "${text}\n")
    set(term_pending FALSE)
  else()
    # Text at column 0 right after a list item is a paragraph of its own, not more of the item.
    if(page MATCHES "\n\\.TP\n[^\n]*\n[^.][^\n]*\n$")
      string(APPEND page ".PP\n")
    endif()
    roff_escape(text "${line}")
    string(APPEND page "${text}\n")
  endif()
endforeach()
string(REPLACE "\\;" ";" page "${page}")
file(WRITE ${OUTPUT} "${page}")
