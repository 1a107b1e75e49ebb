#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/error_catalogue.h"
#include "core/diagnosis.h"

namespace shadowctl::core {
namespace {

TEST(Catalogue, IsSortedByValueAndUnique) {
  for (std::size_t i = 1; i < kErrorCatalogue.size(); ++i)
    EXPECT_LT(kErrorCatalogue[i - 1].value, kErrorCatalogue[i].value)
        << kErrorCatalogue[i - 1].name << " must come before " << kErrorCatalogue[i].name;
  std::set<std::string_view> names;
  for (const auto& e : kErrorCatalogue) EXPECT_TRUE(names.insert(e.name).second) << e.name;
}

TEST(Catalogue, HasEveryVssCodeOfVsserrorH) {
  int vss = 0;
  for (const auto& e : kErrorCatalogue) vss += e.name.substr(0, 4) == "VSS_";
  EXPECT_EQ(vss, 81);
}

TEST(Catalogue, EveryEntrySaysWhatItMeansAndWhatToDo) {
  for (const auto& e : kErrorCatalogue) {
    EXPECT_GT(e.meaning.size(), 10u) << e.name;
    EXPECT_GT(e.remedy.size(), 5u) << e.name;
    EXPECT_EQ(failed(e.value), e.exit != ExitStatus::success) << e.name;
  }
}

TEST(Catalogue, HasTheCodesTheIssueNames) {
  for (const char* name :
       {"S_OK", "S_FALSE", "E_ACCESSDENIED", "E_INVALIDARG", "E_OUTOFMEMORY", "E_UNEXPECTED",
        "E_NOTIMPL", "E_FAIL", "E_POINTER", "RPC_E_TOO_LATE", "CO_E_NOTINITIALIZED",
        "ERROR_SERVICE_DISABLED", "ERROR_SERVICE_DOES_NOT_EXIST", "RPC_S_SERVER_UNAVAILABLE",
        "RPC_S_CALL_FAILED", "RPC_S_CALL_FAILED_DNE", "ERROR_FILE_NOT_FOUND",
        "ERROR_PATH_NOT_FOUND", "ERROR_INVALID_NAME", "ERROR_NOT_READY", "ERROR_NOT_FOUND",
        "VSS_E_UNEXPECTED"})
    EXPECT_TRUE(parse_error_code(name).has_value()) << name;
  // The constants are the catalogue's values, taken by name at compile time.
  static_assert(hr::error_service_disabled == 0x80070422u);
  static_assert(hr::rpc_s_call_failed_dne == 0x800706BFu);
}

TEST(Catalogue, ExitClassesMatchTheDocumentedCodes) {
  EXPECT_EQ(find_error(hr::e_accessdenied)->exit, ExitStatus::access_denied);
  EXPECT_EQ(find_error(hr::e_notimpl)->exit, ExitStatus::vss_unavailable);
  EXPECT_EQ(find_error(hr::error_service_disabled)->exit, ExitStatus::vss_unavailable);
  EXPECT_EQ(find_error(hr::vss_e_writererror_nonretryable)->exit, ExitStatus::writer_failure);
  EXPECT_EQ(find_error(hr::vss_e_snapshot_set_in_progress)->exit, ExitStatus::busy);
  EXPECT_EQ(find_error(hr::vss_e_insufficient_storage)->exit, ExitStatus::limit_reached);
  EXPECT_EQ(find_error(hr::vss_e_object_not_found)->exit, ExitStatus::not_found);
  EXPECT_EQ(find_error(hr::error_timeout)->exit, ExitStatus::timeout);
  EXPECT_EQ(find_error(hr::error_cancelled)->exit, ExitStatus::interrupted);
  EXPECT_TRUE(find_error(hr::vss_e_provider_veto)->retryable);
  EXPECT_FALSE(find_error(hr::vss_e_bad_state)->retryable);
}

TEST(ParseErrorCode, AcceptsHexDecimalSignedAndNamesInAnyCase) {
  EXPECT_EQ(parse_error_code("0x8004230F"), 0x8004230Fu);
  EXPECT_EQ(parse_error_code("0X8004230f"), 0x8004230Fu);
  EXPECT_EQ(parse_error_code("2147754767"), 0x8004230Fu);
  EXPECT_EQ(parse_error_code("-2147212529"), 0x8004230Fu);
  EXPECT_EQ(parse_error_code("vss_e_provider_veto"), 0x80042306u);
  EXPECT_EQ(parse_error_code("E_AccessDenied"), 0x80070005u);
  EXPECT_EQ(parse_error_code("0"), 0u);
}

TEST(ParseErrorCode, RejectsWhatIsNotACode) {
  for (const char* text : {"", "0x", "0xZZ", "0x100000000", "4294967296", "-2147483649",
                           "12abc", "not_a_code", " 5"})
    EXPECT_FALSE(parse_error_code(text).has_value()) << text;
}

TEST(Diagnose, UnknownWin32CodeIsDecodedNotBare) {
  const Diagnosis d = diagnose(0x80070021, "AddToSnapshotSet", "The process cannot access the file.");
  EXPECT_FALSE(d.known);
  EXPECT_EQ(d.name, "HRESULT_FROM_WIN32(33)");
  EXPECT_NE(d.meaning.find("The process cannot access the file."), std::string::npos);
  EXPECT_NE(d.meaning.find("FACILITY_WIN32"), std::string::npos);
  EXPECT_EQ(d.exit, ExitStatus::failure);
}

TEST(Diagnose, UnknownOtherCodeNamesSeverityAndFacility) {
  const Diagnosis d = diagnose(0x80040999);
  EXPECT_EQ(d.name, "FAILURE_0x80040999");
  EXPECT_NE(d.meaning.find("Failure code 2457 in FACILITY_ITF"), std::string::npos) << d.meaning;
}

TEST(Diagnose, PhaseRefinesAccessDenied) {
  const Diagnosis create = diagnose(hr::e_accessdenied, "CreateVssBackupComponents");
  const Diagnosis writer = diagnose(hr::e_accessdenied, "writer:SqlServerWriter");
  const Diagnosis plain = diagnose(hr::e_accessdenied);
  EXPECT_NE(create.meaning, writer.meaning);
  EXPECT_NE(create.meaning, plain.meaning);
  EXPECT_NE(writer.remedy.find("CoInitializeSecurity"), std::string::npos);
  EXPECT_NE(create.remedy.find("Backup Operators"), std::string::npos);
  EXPECT_EQ(create.phase, "CreateVssBackupComponents");
}

// The impersonation level the Windows code sets (RPC_C_IMP_LEVEL_IDENTIFY, as the SDK's
// vshadow sample): every text that tells a host how to set COM security says that level.
TEST(Diagnose, EveryComSecurityAdviceNamesTheLevelTheCodeSets) {
  std::vector<std::string> texts;
  for (const auto& e : kErrorCatalogue) texts.emplace_back(e.remedy);
  texts.push_back(diagnose(hr::e_accessdenied, "writer:SqlServerWriter").remedy);
  int advising = 0;
  for (const auto& t : texts) {
    if (t.find("CoInitializeSecurity") == std::string::npos) continue;
    ++advising;
    EXPECT_NE(t.find("RPC_C_IMP_LEVEL_IDENTIFY"), std::string::npos) << t;
    EXPECT_EQ(t.find("and impersonation"), std::string::npos) << t;
  }
  EXPECT_GE(advising, 2);
}

TEST(HResult, Win32Conversion) {
  EXPECT_EQ(hresult_from_win32(5), 0x80070005u);
  EXPECT_EQ(hresult_from_win32(0), 0u);
  EXPECT_EQ(format_hresult(0x8004230F), "0x8004230F");
}

}  // namespace
}  // namespace shadowctl::core
