// `tginvited make-cert DIR [NAME...]` (issue 13): the files of the drop-in recipe for bots that
// hard-code api.telegram.org (README, "Drop-in for api.telegram.org").
#pragma once

#include <span>
#include <string>

#include "common/result.h"

namespace tgi::server {

// Writes into `dir` (made if missing):
//   ca.pem, ca-key.pem    a local certificate authority (common/certs.h), kept as they are if
//                         both exist already, so a CA trusted once stays trusted; made new if
//                         neither does; one without the other is an error;
//   cert.pem, key.pem     a certificate for `names` signed by that CA, replacing any before.
// Keys are written with mode 0600, certificates 0644. Returns what was done, as lines for the
// user (the paths, the names, the flags to pass), or why nothing or not everything was.
Result<std::string> MakeCertFiles(const std::string& dir, std::span<const std::string> names);

}  // namespace tgi::server
