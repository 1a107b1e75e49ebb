#include "scenario.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/error_catalogue.h"
#include "core/diagnosis.h"
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

// "per": "process" (the default) or "object": what `when` counts.
bool per_object_field(const nlohmann::json& f) {
  const auto per = f.value("per", std::string("process"));
  if (per != "process" && per != "object")
    throw std::runtime_error("scenario: 'per' is \"process\" or \"object\"");
  return per == "object";
}

template <typename F>
bool matches(const F& f, CallCount call) {
  return f.nth == 0 || f.nth == (f.per_object ? call.in_object : call.in_process);
}

// The state a writer is left in when it fails at a phase and the scenario names none.
int failed_state_of(const std::string& phase) {
  if (phase == "GatherWriterMetadata") return 6;  // VSS_WS_FAILED_AT_IDENTIFY
  if (phase == "PrepareForBackup") return 7;      // VSS_WS_FAILED_AT_PREPARE_BACKUP
  if (phase == "DoSnapshotSet") return 9;         // VSS_WS_FAILED_AT_FREEZE
  return 12;                                      // VSS_WS_FAILED_AT_BACKUP_COMPLETE
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
  for (const auto& f : doc.value("faults", nlohmann::json::array())) {
    Fault fault;
    fault.method = f.at("method").get<std::string>();
    fault.die = f.value("die", false);
    fault.run = f.value("run", std::vector<std::string>());
    if (!fault.die && fault.run.empty()) fault.hr = hresult_field(f, "hresult");
    fault.nth = when_field(f);
    fault.per_object = per_object_field(f);
    fault.of = f.value("of", std::string());
    scenario.add(std::move(fault));
  }

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
      a.delay_ms = f.value("delay_ms", 0);  // slow, then failing
    } else if (kind == "completes_at_cancel") {
      a.kind = AsyncFault::Kind::completes_at_cancel;
    } else {
      throw std::runtime_error(
          "scenario: 'behaviour' is \"late\", \"hang\", \"fail\" or \"completes_at_cancel\"");
    }
    a.nth = when_field(f);
    a.per_object = per_object_field(f);
    scenario.add(std::move(a));
  }

  for (const auto& f : doc.value("writers", nlohmann::json::array())) {
    WriterFault w;
    w.writer = f.at("writer").get<std::string>();
    w.missing = f.value("missing", false);
    w.phase =
        f.value("phase", std::string(w.missing ? "GatherWriterMetadata" : "PrepareForBackup"));
    if (w.phase != "GatherWriterMetadata" && w.phase != "PrepareForBackup" &&
        w.phase != "DoSnapshotSet" && w.phase != "BackupComplete")
      throw std::runtime_error(
          "scenario: writer 'phase' is GatherWriterMetadata, PrepareForBackup, DoSnapshotSet or "
          "BackupComplete");
    w.state = failed_state_of(w.phase);
    if (f.contains("state")) {
      const auto state_text = f.at("state").is_number() ? std::to_string(f.at("state").get<int>())
                                                        : f.at("state").get<std::string>();
      const auto state = parse_writer_state(state_text);
      if (!state)
        throw std::runtime_error("scenario: '" + state_text + "' is not a VSS_WRITER_STATE");
      w.state = *state;
    }
    // A writer that does not answer in time: VSS_E_WRITER_NOT_RESPONDING unless named.
    w.failure = f.contains("failure")              ? hresult_field(f, "failure")
                : f.value("not_responding", false) ? core::hr::vss_e_writer_not_responding
                                                   : 0;
    w.nth = when_field(f);
    w.per_object = per_object_field(f);
    scenario.add(std::move(w));
  }

  for (const auto& f : doc.value("delete_fails", nlohmann::json::array()))
    scenario.add(DeleteFault{f.at("shadow").get<std::string>(), hresult_field(f, "hresult")});

  // Shorthand for the commonest provider failure.
  if (doc.value("provider_veto", false))
    scenario.add(AsyncFault{"DoSnapshotSet", AsyncFault::Kind::fail, 0,
                            core::hr::vss_e_provider_veto, 0, false});
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

std::optional<Fault> Scenario::fault_for(const std::string& method, CallCount call,
                                         const std::string& of) const {
  for (const auto& f : faults_)
    if (f.method == method && (f.of.empty() || f.of == of) && matches(f, call)) return f;
  return std::nullopt;
}

std::optional<AsyncFault> Scenario::async_fault_for(const std::string& method,
                                                    CallCount call) const {
  for (const auto& f : async_)
    if (f.method == method && matches(f, call)) return f;
  return std::nullopt;
}

std::vector<WriterFault> Scenario::writer_faults_at(const std::string& phase,
                                                    CallCount call) const {
  std::vector<WriterFault> out;
  for (const auto& w : writers_)
    if (w.phase == phase && matches(w, call)) out.push_back(w);
  return out;
}

std::optional<core::HResult> Scenario::delete_fault_for(const std::string& shadow_id) const {
  for (const auto& d : deletes_)
    if (d.shadow_id.size() == shadow_id.size() &&
        std::equal(d.shadow_id.begin(), d.shadow_id.end(), shadow_id.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        }))
      return d.hr;
  return std::nullopt;
}

}  // namespace shadowctl::emulator
