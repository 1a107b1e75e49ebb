#include "scenario.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/errors.h"

namespace shadowctl::emulator {

Scenario Scenario::parse(const std::string& json_text) {
  Scenario scenario;
  const auto doc = nlohmann::json::parse(json_text);
  for (const auto& f : doc.value("faults", nlohmann::json::array())) {
    Fault fault;
    fault.method = f.at("method").get<std::string>();
    const auto hr_text = f.at("hresult").get<std::string>();
    const auto hr = core::parse_error_code(hr_text);
    if (!hr) throw std::runtime_error("scenario: '" + hr_text + "' is not an HRESULT");
    fault.hr = *hr;
    const auto when = f.value("when", nlohmann::json("every"));
    if (when.is_number_integer() && when.get<int>() > 0) {
      fault.nth = when.get<int>();
    } else if (when == "first") {
      fault.nth = 1;
    } else if (when != "every") {
      throw std::runtime_error("scenario: 'when' is \"every\", \"first\" or a call number");
    }
    scenario.add(std::move(fault));
  }
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

}  // namespace shadowctl::emulator
