#include "sim_backend.h"

#include <algorithm>

namespace shadowctl::emulator {
namespace {

class SimAsync final : public session::AsyncOperation {
 public:
  explicit SimAsync(std::shared_ptr<Async> a) : async_(std::move(a)) {}
  core::HResult wait(std::chrono::milliseconds limit) override {
    const auto ms = static_cast<std::uint32_t>(
        std::min<std::chrono::milliseconds::rep>(limit.count(), 0xFFFFFFFEu));
    const core::HResult waited = async_->wait(ms);
    if (core::failed(waited)) return waited;
    core::HResult status = 0;
    const core::HResult queried = async_->query_status(&status);
    return core::failed(queried) ? queried : status;
  }
  core::HResult cancel() override { return async_->cancel(); }

 private:
  std::shared_ptr<Async> async_;
};

// Starts an async call of the model and hands its operation out as the session's.
template <typename Start>
core::HResult start(Start&& call, session::Async& out) {
  std::shared_ptr<Async> a;
  const core::HResult hr = call(&a);
  if (core::succeeded(hr) && a) out = std::make_unique<SimAsync>(std::move(a));
  return hr;
}

core::ShadowCopy to_core(const Shadow& s) {
  return {s.id,          s.set_id,           s.snapshots_in_set,    s.device_object,
          s.original_volume, s.originating_machine, s.service_machine, s.exposed_name,
          s.exposed_path, s.provider_id,      s.attributes,          s.created_us,
          s.state};
}

class SimBackupComponents final : public session::BackupComponents {
 public:
  explicit SimBackupComponents(std::unique_ptr<Requester> r) : r_(std::move(r)) {}

  core::HResult initialize_for_backup() override { return r_->initialize_for_backup({}); }
  core::HResult set_context(long c) override { return r_->set_context(c); }
  core::HResult set_backup_state(bool select, bool bootable, int type, bool partial) override {
    return r_->set_backup_state(select, bootable, type, partial);
  }
  core::HResult gather_writer_metadata(session::Async& out) override {
    return start([&](std::shared_ptr<Async>* a) { return r_->gather_writer_metadata(a); }, out);
  }
  core::HResult writer_metadata(std::vector<core::WriterMetadata>& out) override {
    std::vector<Writer> writers;
    const core::HResult hr = r_->writer_metadata(&writers);
    out.clear();
    for (const auto& w : writers) {
      core::WriterMetadata m{w.id, w.instance_id, w.name, {}};
      for (const auto& c : w.components) m.components.push_back({{}, c});
      out.push_back(std::move(m));
    }
    return hr;
  }
  core::HResult free_writer_metadata() override { return r_->free_writer_metadata(); }
  core::HResult start_snapshot_set(std::string& set_id) override {
    return r_->start_snapshot_set(&set_id);
  }
  core::HResult is_volume_supported(const std::string& volume, const std::string& provider,
                                    bool& supported) override {
    return r_->is_volume_supported(volume, provider, &supported);
  }
  core::HResult add_to_snapshot_set(const std::string& volume, const std::string& provider,
                                    std::string& shadow_id) override {
    return r_->add_to_snapshot_set(volume, provider, &shadow_id);
  }
  core::HResult prepare_for_backup(session::Async& out) override {
    return start([&](std::shared_ptr<Async>* a) { return r_->prepare_for_backup(a); }, out);
  }
  core::HResult gather_writer_status(session::Async& out) override {
    return start([&](std::shared_ptr<Async>* a) { return r_->gather_writer_status(a); }, out);
  }
  core::HResult writer_status(std::vector<core::WriterStatus>& out) override {
    std::vector<Writer> writers;
    const core::HResult hr = r_->writer_status(&writers);
    out.clear();
    for (const auto& w : writers) out.push_back({w.id, w.instance_id, w.name, w.state, w.failure});
    return hr;
  }
  core::HResult free_writer_status() override { return r_->free_writer_status(); }
  core::HResult do_snapshot_set(session::Async& out) override {
    return start([&](std::shared_ptr<Async>* a) { return r_->do_snapshot_set(a); }, out);
  }
  core::HResult snapshot_properties(const std::string& id, core::ShadowCopy& out) override {
    Shadow s;
    const core::HResult hr = r_->get_snapshot_properties(id, &s);
    if (core::succeeded(hr)) out = to_core(s);
    return hr;
  }
  core::HResult backup_complete(session::Async& out) override {
    return start([&](std::shared_ptr<Async>* a) { return r_->backup_complete(a); }, out);
  }
  core::HResult abort_backup() override { return r_->abort_backup(); }
  core::HResult query_snapshots(std::vector<core::ShadowCopy>& out) override {
    std::vector<Shadow> shadows;
    const core::HResult hr = r_->query(&shadows);
    out.clear();
    out.reserve(shadows.size());
    for (const auto& s : shadows) out.push_back(to_core(s));
    return hr;
  }
  core::HResult delete_snapshots(const std::string& id, bool whole_set,
                                 session::DeleteResult& out) override {
    out = {};
    const core::HResult hr = r_->delete_snapshots(id, whole_set, &out.deleted);
    if (core::failed(hr)) out.failed_id = id;
    return hr;
  }
  core::HResult expose_snapshot(const std::string& id, bool remotely, const std::string& expose,
                                std::string& exposed) override {
    return r_->expose_snapshot(id, remotely, expose, &exposed);
  }

 private:
  std::unique_ptr<Requester> r_;
};

}  // namespace

SimBackend::SimBackend(Scenario scenario, MachineFacts facts, MachineState initial)
    : facts_(std::move(facts)), service_(std::move(scenario), journal_, {}, std::move(initial)) {}

core::HResult SimBackend::create_backup_components(
    std::unique_ptr<session::BackupComponents>& out) {
  std::unique_ptr<Requester> requester;
  const core::HResult hr = service_.create_backup_components(requester);
  if (core::succeeded(hr)) out = std::make_unique<SimBackupComponents>(std::move(requester));
  return hr;
}

}  // namespace shadowctl::emulator
