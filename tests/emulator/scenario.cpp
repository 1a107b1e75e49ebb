#include "scenario.h"

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "core/errors.h"
#include "core/vss.h"

namespace shadowctl::emulator {
namespace {


core::HResult hresult_field(const nlohmann::json& f, const char* key) {
  const auto text = f.at(key).get<std::string>();
  const auto hr = core::parse_error_code(text);
  if (!hr) throw std::runtime_error("scenario: '" + text + "' is not an HRESULT");
  return *hr;
}

int when_field(const nlohmann::json& f) {
  const auto when = f.value("when", nlohmann::json("every"));
  if (when.is_number_integer() && when.get<int>() > 0) return when.get<int>();
  if (when == "first") return 1;
  if (when == "every") return 0;
  throw std::runtime_error("scenario: 'when' is \"every\", \"first\" or a call number");
}

}  // namespace

std::optional<int> parse_writer_state(const std::string& text) {
  for (const auto& state : core::vss::kWriterStates)
    if (text == state.name) return static_cast<int>(state.value);
  try {
    std::size_t used = 0;
    const int n = std::stoi(text, &used);
    if (used == text.size() && n >= 0 && n < static_cast<int>(core::vss::kWriterStates.size())) return n;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

Scenario Scenario::parse(const std::string& json_text) {
  Scenario scenario;
  const auto doc = nlohmann::json::parse(json_text);
  for (const auto& f : doc.value("faults", nlohmann::json::array()))
    scenario.add(Fault{f.at("method").get<std::string>(), hresult_field(f, "hresult"), when_field(f)});

  for (const auto& f : doc.value("async", nlohmann::json::array())) {
    AsyncFault a;
    a.method = f.at("method").get<std::string>();
    const auto kind = f.at("behaviour").get<std::string>();
    if (kind == "late") {
      a.kind = AsyncFault::Kind::late;
      a.delay_ms = f.at("delay_ms").get<int>();
    } else if (kind == "hang") {
      a.kind = AsyncFault::Kind::hang;
    } else if (kind == "fail") {
      a.kind = AsyncFault::Kind::fail;
      a.hr = hresult_field(f, "hresult");
    } else {
      throw std::runtime_error("scenario: 'behaviour' is \"late\", \"hang\" or \"fail\"");
    }
    a.nth = when_field(f);
    scenario.add(std::move(a));
  }

  for (const auto& f : doc.value("writers", nlohmann::json::array())) {
    WriterFault w;
    w.writer = f.at("writer").get<std::string>();
    const auto state_text = f.at("state").is_number() ? std::to_string(f.at("state").get<int>())
                                                      : f.at("state").get<std::string>();
    const auto state = parse_writer_state(state_text);
    if (!state) throw std::runtime_error("scenario: '" + state_text + "' is not a VSS_WRITER_STATE");
    w.state = *state;
    w.failure = f.contains("failure") ? hresult_field(f, "failure") : 0;
    w.phase = f.value("phase", std::string("PrepareForBackup"));
    if (w.phase != "PrepareForBackup" && w.phase != "DoSnapshotSet" && w.phase != "BackupComplete")
      throw std::runtime_error("scenario: writer 'phase' is PrepareForBackup, DoSnapshotSet or BackupComplete");
    w.nth = when_field(f);
    scenario.add(std::move(w));
  }

  // Shorthand for the commonest provider failure.
  if (doc.value("provider_veto", false))
    scenario.add(AsyncFault{"DoSnapshotSet", AsyncFault::Kind::fail, 0,
                            core::hr::vss_e_provider_veto, 0});
  return scenario;
}

Scenario Scenario::load(const std::string& path) {
  if (path.empty()) return {};
  std::ifstream in(path);
  if (!in) throw std::runtime_error("scenario: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

std::optional<core::HResult> Scenario::fault_for(const std::string& method, int call) const {
  for (const auto& f : faults_)
    if (f.method == method && (f.nth == 0 || f.nth == call)) return f.hr;
  return std::nullopt;
}

std::optional<AsyncFault> Scenario::async_fault_for(const std::string& method, int call) const {
  for (const auto& f : async_)
    if (f.method == method && (f.nth == 0 || f.nth == call)) return f;
  return std::nullopt;
}

std::vector<WriterFault> Scenario::writer_faults_at(const std::string& phase, int call) const {
  std::vector<WriterFault> out;
  for (const auto& w : writers_)
    if (w.phase == phase && (w.nth == 0 || w.nth == call)) out.push_back(w);
  return out;
}

}  // namespace shadowctl::emulator
