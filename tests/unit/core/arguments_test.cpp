#include <gtest/gtest.h>

#include "core/arguments.h"

namespace shadowctl::core {
namespace {

using Kind = VolumeSpec::Kind;

TEST(ParseVolume, DriveLetterInEveryForm) {
  for (const char* text : {"C", "c", "C:", "c:", "C:\\", "c:\\"}) {
    const auto v = parse_volume(text);
    ASSERT_TRUE(v) << text;
    EXPECT_EQ(v->kind, Kind::drive);
    EXPECT_EQ(v->text, "C:\\");
  }
}

TEST(ParseVolume, MountFolderGetsOneTrailingBackslash) {
  EXPECT_EQ(parse_volume("C:\\mnt\\data")->text, "C:\\mnt\\data\\");
  EXPECT_EQ(parse_volume("c:\\mnt\\data\\")->text, "C:\\mnt\\data\\");
  EXPECT_EQ(parse_volume("C:\\mnt")->kind, Kind::mount_folder);
}

// Found by fuzzing: "C:\\" was taken as a mount folder that is the drive's root.
TEST(ParseVolume, EmptyFolderNameIsRefused) {
  EXPECT_FALSE(parse_volume("C:\\\\"));
  EXPECT_FALSE(parse_volume("C:\\\\data"));
}

TEST(ParseVolume, VolumeNameInAnyCaseWithOrWithoutTrailingBackslash) {
  for (const char* text : {"\\\\?\\Volume{3F1A2B4C-0000-4000-8000-00000000000C}\\",
                           "\\\\?\\volume{3f1a2b4c-0000-4000-8000-00000000000c}"}) {
    const auto v = parse_volume(text);
    ASSERT_TRUE(v) << text;
    EXPECT_EQ(v->kind, Kind::volume_name);
    EXPECT_EQ(v->text, "\\\\?\\Volume{3f1a2b4c-0000-4000-8000-00000000000c}\\");
  }
}

TEST(ParseVolume, RejectsWhatNamesNoVolume) {
  for (const char* text :
       {"", "CC", "1:", "C:data", "C:/data", "C:\\a\\..\\b", "C:\\a\\\\b", "C:\\a|b",
        "\\\\server\\share", "\\\\?\\Volume{not-a-guid}\\", "\\\\?\\Volume3f1a2b4c",
        "data", ".\\C"})
    EXPECT_FALSE(parse_volume(text)) << text;
}

TEST(ParseGuid, BracesOptionalAnyCaseLowerCaseOut) {
  EXPECT_EQ(parse_guid("{6F1C8D8E-0000-4000-8000-0000000000AB}"),
            "{6f1c8d8e-0000-4000-8000-0000000000ab}");
  EXPECT_EQ(parse_guid("6f1c8d8e-0000-4000-8000-0000000000ab"),
            "{6f1c8d8e-0000-4000-8000-0000000000ab}");
  for (const char* text : {"", "{}", "6f1c8d8e00004000800000000000000ab",
                           "{6f1c8d8e-0000-4000-8000-0000000000ab", "6f1c8d8e-0000-4000-8000-0000000000ag"})
    EXPECT_FALSE(parse_guid(text)) << text;
}

TEST(RefuseOutputPath, DevicesPipesAndNetworkPathsAreRefusedLocalFilesAreNot) {
  for (const char* ok :
       {"C:\\logs\\shadowctl.log", "shadowctl.log", "..\\x.json", "\\\\?\\C:\\very\\long\\path.log",
        "\\\\?\\Volume{6a1c8e3f-0000-0000-0000-100000000000}\\x.log", "C:\\logs\\console.log",
        "C:\\logs\\nullify.txt", "/tmp/x.log", "COM10"})
    EXPECT_EQ(refuse_output_path(ok), "") << ok;
  EXPECT_EQ(refuse_output_path("\\\\.\\pipe\\evil"), "it is a named pipe");
  EXPECT_EQ(refuse_output_path("//./PIPE/evil"), "it is a named pipe");
  EXPECT_EQ(refuse_output_path("\\\\server\\share\\x.log"), "it is a network path");
  EXPECT_EQ(refuse_output_path("\\\\?\\UNC\\server\\share\\x.log"), "it is a network path");
  EXPECT_EQ(refuse_output_path("\\\\.\\PhysicalDrive0"), "it is a device path");
  EXPECT_EQ(refuse_output_path("\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1\\x"),
            "it is a device path");
  EXPECT_EQ(refuse_output_path("NUL"), "it names the device NUL");
  EXPECT_EQ(refuse_output_path("C:\\logs\\nul.txt"), "it names the device NUL");
  EXPECT_EQ(refuse_output_path("con"), "it names the device CON");
  EXPECT_EQ(refuse_output_path("D:lpt1"), "it names the device LPT1");
  EXPECT_EQ(refuse_output_path("C:\\x\\COM3 .log"), "it names the device COM3");
  // The object manager's prefix reaches pipes and servers as \\?\ does (the review's cases).
  EXPECT_EQ(refuse_output_path("\\??\\pipe\\x"), "it is a named pipe");
  EXPECT_EQ(refuse_output_path("\\??\\UNC\\host\\share\\x"), "it is a network path");
  EXPECT_EQ(refuse_output_path("\\??\\GLOBALROOT\\Device\\Null"), "it is a device path");
  EXPECT_EQ(refuse_output_path("\\??\\C:\\logs\\x.log"), "");
  // Superscript digits are reserved too: COM¹, COM², COM³, LPT¹, LPT², LPT³.
  EXPECT_EQ(refuse_output_path("C:\\logs\\COM\xC2\xB9"), "it names the device COM\xC2\xB9");
  EXPECT_EQ(refuse_output_path("com\xC2\xB2.txt"), "it names the device COM\xC2\xB2");
  EXPECT_EQ(refuse_output_path("LPT\xC2\xB3.log"), "it names the device LPT\xC2\xB3");
  EXPECT_EQ(refuse_output_path("LPT\xC2\xB4.log"), "") << "U+00B4 is no digit";
}

}  // namespace
}  // namespace shadowctl::core
