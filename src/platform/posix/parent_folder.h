#pragma once

#include <string>

namespace shadowctl::platform {

// The folder a path names its file in, opened from the root (or the current folder) one
// component at a time without following a symbolic link: a link planted in any folder above
// the file cannot send an elevated write elsewhere, and the file is then opened relative to
// this descriptor, so nothing can change between the check and the use.
class ParentFolder {
 public:
  ParentFolder() = default;
  ~ParentFolder();
  ParentFolder(const ParentFolder&) = delete;
  ParentFolder& operator=(const ParentFolder&) = delete;
  // False with `why` set when a component is a link, is missing or is not a folder.
  bool open(const std::string& path, std::string& why);
  int fd() const { return fd_; }
  const std::string& name() const { return name_; }  // the file's own name in it

 private:
  int fd_ = -1;
  std::string name_;
};

}  // namespace shadowctl::platform
