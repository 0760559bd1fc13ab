// renderq __complete SHELL WORD... (hidden): the one completion engine behind the
// bash, zsh and fish scripts in completions/. The shells pass the words
// after `renderq`, the last being the word under the cursor (maybe empty);
// this prints candidates, one per line as "word<TAB>description", or the
// single directive ":file" / ":dir" asking the shell for path completion.
//
// Asking the binary itself means the scripts can never drift from the
// subcommands and options it really has, and job ids come from the spool
// (the newest 20, with their state), through the same config as any command,
// and so do the users `list --user` offers.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/job_format.hpp"

namespace renderq {

namespace {

constexpr int kRecentIds = 20;
constexpr int kRecentUsersJobs = 500;

void candidate(const std::string& word, const std::string& description) {
  std::printf("%s\t%s\n", word.c_str(), description.c_str());
}

bool hidden(const CLI::Option* o) { return o->get_group().empty(); }

bool takes_value(const CLI::Option* o) { return o->get_type_size() > 0 || o->get_expected_min() > 0; }

// The option `word` names ("--size" or "--size=..." or "-o") in `cmd` or its parents.
const CLI::Option* find_option(const CLI::App* cmd, const std::string& word) {
  std::string name = word.substr(0, word.find('='));
  for (const CLI::App* a = cmd; a != nullptr; a = a->get_parent())
    for (const CLI::Option* o : a->get_options())
      if (!o->get_positional() && o->check_name(name)) return o;
  return nullptr;
}

// The options of `cmd` and, since the root falls through, the global ones;
// each name once (every subcommand repeats --help).
void print_options(const CLI::App* cmd, const std::string& prefix) {
  std::set<std::string> seen;
  auto offer = [&](const std::string& name, const CLI::Option* o) {
    if (name.starts_with(prefix) && seen.insert(name).second) candidate(name, o->get_description());
  };
  for (const CLI::App* a = cmd; a != nullptr; a = a->get_parent())
    for (const CLI::Option* o : a->get_options()) {
      if (o->get_positional() || hidden(o)) continue;
      for (const std::string& l : o->get_lnames()) offer("--" + l, o);
      for (const std::string& s : o->get_snames()) offer("-" + s, o);
    }
}

// The states whose jobs a command can act on: retry takes failed and
// canceled jobs, cancel and wait unfinished ones, hold, release and
// priority queued ones; the others any job.
std::vector<JobState> states_for(const std::string& command) {
  if (command == "retry") return {JobState::Failed, JobState::Canceled};
  if (command == "hold" || command == "release" || command == "priority") return {JobState::Queued};
  if (command == "cancel" || command == "wait") return {JobState::Queued, JobState::Running};
  return {};
}

void print_ids(const Context& ctx, const std::string& command, const std::string& spool_word) {
  Context c = ctx;
  if (!spool_word.empty()) c.spool_flag = spool_word;
  auto spool = c.open_spool(false);  // never create a spool just to complete
  if (!spool) return;
  auto jobs = spool->store().list(ListQuery{.states = states_for(command), .limit = kRecentIds, .before = std::nullopt});
  if (!jobs) return;
  for (const Job& j : *jobs) {
    std::string label = j.name.empty() ? std::filesystem::path(j.spec.scene).filename().string() : j.name;
    candidate(std::to_string(j.id.value), std::string(state_name(j.state)) + " " + label);
  }
}

// The users whose jobs are among the newest kRecentUsersJobs: the ones a
// `list --user` can show.
void print_users(const Context& ctx, const std::string& spool_word) {
  Context c = ctx;
  if (!spool_word.empty()) c.spool_flag = spool_word;
  auto spool = c.open_spool(false);
  if (!spool) return;
  auto jobs = spool->store().list(ListQuery{.limit = kRecentUsersJobs});
  if (!jobs) return;
  std::set<std::string> users;
  for (const Job& j : *jobs)
    if (std::string u = job_user(j); u != "-" && users.insert(u).second) candidate(u, "has jobs in the queue");
}

// Values an option takes, by what its help calls the value.
void print_values(const Context& ctx, const std::string& command, const CLI::Option* o,
                  const std::string& spool_word) {
  const std::string& t = o->get_type_name();
  if (o->check_name("--tonemap")) {
    candidate("pbr-neutral", "Khronos PBR Neutral (default)");
    candidate("aces", "ACES filmic");
    candidate("none", "linear, clamped");
  } else if (o->check_name("--background")) {
    candidate("transparent", "alpha 0 (default)");
  } else if (o->check_name("--state")) {
    for (JobState st : {JobState::Queued, JobState::Running, JobState::Succeeded, JobState::Failed,
                        JobState::Canceled})
      candidate(std::string(state_name(st)), "jobs in this state");
  } else if (t == "ID") {
    print_ids(ctx, command, spool_word);
  } else if (t == "USER") {
    print_users(ctx, spool_word);
  } else if (t == "DIR") {
    std::puts(":dir");
  } else if (t == "FILE" || t == "SCENE" || t == "OUT" || t == "PATH") {
    std::puts(":file");
  }
}

int run_complete(CLI::App& root, const Context& ctx, std::vector<std::string> words) {
  if (words.empty()) words.emplace_back();
  const std::string cur = words.back();
  words.pop_back();
  const CLI::App* cmd = &root;
  std::string spool_word;
  std::size_t positionals = 0;
  const CLI::Option* pending = nullptr;  // an option still waiting for its value
  for (const std::string& w : words) {
    if (pending) {
      if (pending->check_name("--spool")) spool_word = w;
      pending = nullptr;
      continue;
    }
    if (w.starts_with("-") && w.size() > 1) {
      const CLI::Option* o = find_option(cmd, w);
      if (o && takes_value(o) && w.find('=') == std::string::npos) pending = o;
      if (o && o->check_name("--spool") && w.find('=') != std::string::npos) spool_word = w.substr(w.find('=') + 1);
      continue;
    }
    if (cmd == &root) {
      auto subs = root.get_subcommands([&w](CLI::App* a) { return a->check_name(w); });
      if (!subs.empty()) {
        cmd = subs.front();
        continue;
      }
    }
    ++positionals;
  }
  if (pending) {
    print_values(ctx, cmd->get_name(), pending, spool_word);
  } else if (cur.starts_with("-")) {
    print_options(cmd, cur);
  } else if (cmd == &root) {
    for (const CLI::App* sub : root.get_subcommands([](CLI::App*) { return true; }))
      if (!sub->get_group().empty() && sub->get_name().starts_with(cur))
        candidate(sub->get_name(), sub->get_description());
  } else {
    // The positional under the cursor: the n-th, or the last if it repeats.
    const CLI::Option* pos = nullptr;
    std::size_t seen = 0;
    for (const CLI::Option* o : cmd->get_options()) {
      if (!o->get_positional()) continue;
      pos = o;
      if (seen++ == positionals) break;
    }
    if (pos) print_values(ctx, cmd->get_name(), pos, spool_word);
  }
  return code(Exit::Ok);
}

}  // namespace

void add_complete(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("__complete", "Completion candidates for the shell scripts");
  cmd->group("");  // hidden from --help; an interface between renderq and its scripts only
  // The first word names the shell; being unrecognised, it makes CLI11 hand
  // everything after it over untouched (prefix_command), "--help" included.
  cmd->prefix_command();
  cmd->allow_extras();
  cmd->fallthrough(false);
  cmd->set_help_flag();
  cmd->callback([&app, &ctx, cmd] {
    std::vector<std::string> words = cmd->remaining();
    if (!words.empty()) words.erase(words.begin());  // the shell's name
    ctx.exit_code = run_complete(app, ctx, std::move(words));
  });
}

}  // namespace renderq
