// docker/compose.yaml holds the scale-out topology of README "Scaling out": HAProxy in
// front of two telerad processes on one PostgreSQL and one storage volume. The file is
// parsed with libyaml (Debian's libyaml-dev) and the HAProxy config it mounts is checked by
// HAProxy itself (haproxy -c) with the environment compose gives it.
#include <gtest/gtest.h>
#include <yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/load_balancer.h"

namespace telerad::testing {
namespace {

// A loaded YAML document; the accessors answer nullptr or "" for what is not there, so a
// missing key fails an expectation rather than the test binary.
class YamlDocument {
 public:
  explicit YamlDocument(const std::string& path) {
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!file) return;
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, file.get());
    loaded_ = yaml_parser_load(&parser, &doc_) == 1;
    if (!loaded_) error_ = parser.problem ? parser.problem : "unknown error";
    yaml_parser_delete(&parser);
  }
  ~YamlDocument() {
    if (loaded_) yaml_document_delete(&doc_);
  }
  YamlDocument(const YamlDocument&) = delete;
  YamlDocument& operator=(const YamlDocument&) = delete;

  bool ok() const { return loaded_ && root() != nullptr; }
  const std::string& error() const { return error_; }
  yaml_node_t* root() const { return yaml_document_get_root_node(Doc()); }

  // The value of `key` in mapping `map`.
  yaml_node_t* Get(yaml_node_t* map, const std::string& key) const {
    if (!map || map->type != YAML_MAPPING_NODE) return nullptr;
    for (auto* pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; ++pair)
      if (Scalar(Node(pair->key)) == key) return Node(pair->value);
    return nullptr;
  }
  yaml_node_t* Path(std::initializer_list<std::string> keys) const {
    yaml_node_t* node = root();
    for (const auto& k : keys) node = Get(node, k);
    return node;
  }
  // The keys of mapping `map`, in order.
  std::vector<std::string> Keys(yaml_node_t* map) const {
    std::vector<std::string> keys;
    if (!map || map->type != YAML_MAPPING_NODE) return keys;
    for (auto* pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; ++pair)
      keys.push_back(Scalar(Node(pair->key)));
    return keys;
  }
  // The scalars of sequence `seq` (a list of strings: ports, volumes, depends_on).
  std::vector<std::string> Items(yaml_node_t* seq) const {
    std::vector<std::string> items;
    if (!seq || seq->type != YAML_SEQUENCE_NODE) return items;
    for (auto* item = seq->data.sequence.items.start; item < seq->data.sequence.items.top; ++item)
      items.push_back(Scalar(Node(*item)));
    return items;
  }
  static std::string Scalar(yaml_node_t* node) {
    if (!node || node->type != YAML_SCALAR_NODE) return "";
    return std::string(reinterpret_cast<const char*>(node->data.scalar.value),
                       node->data.scalar.length);
  }

 private:
  yaml_document_t* Doc() const { return const_cast<yaml_document_t*>(&doc_); }
  yaml_node_t* Node(int index) const { return yaml_document_get_node(Doc(), index); }

  yaml_document_t doc_{};
  bool loaded_ = false;
  std::string error_;
};

// depends_on is a list of names or a mapping of names to conditions.
std::set<std::string> DependsOn(const YamlDocument& yaml, yaml_node_t* service) {
  yaml_node_t* deps = yaml.Get(service, "depends_on");
  std::vector<std::string> names =
      deps && deps->type == YAML_MAPPING_NODE ? yaml.Keys(deps) : yaml.Items(deps);
  return std::set<std::string>(names.begin(), names.end());
}

bool BuiltFromOurImage(const YamlDocument& yaml, yaml_node_t* service) {
  return YamlDocument::Scalar(yaml.Get(yaml.Get(service, "build"), "dockerfile")) ==
         "docker/Dockerfile";
}

class ComposeTopologyTest : public ::testing::Test {
 protected:
  ComposeTopologyTest() : yaml_(DockerDir() + "/compose.yaml") {}
  yaml_node_t* Service(const std::string& name) const {
    return yaml_.Get(yaml_.Get(yaml_.root(), "services"), name);
  }
  // The telerad servers: services of our image that serve (not the one-shot migrate).
  std::vector<std::string> Servers() const {
    std::vector<std::string> names;
    for (const auto& name : yaml_.Keys(yaml_.Path({"services"}))) {
      yaml_node_t* s = Service(name);
      if (BuiltFromOurImage(yaml_, s) &&
          yaml_.Items(yaml_.Get(s, "command")) != std::vector<std::string>{"migrate"})
        names.push_back(name);
    }
    return names;
  }
  YamlDocument yaml_;
};

TEST_F(ComposeTopologyTest, TwoTeleradServersShareOneDatabaseAndOneStorageVolume) {
  ASSERT_TRUE(yaml_.ok()) << yaml_.error();
  const std::vector<std::string> servers = Servers();
  ASSERT_EQ(servers.size(), 2u);
  // One PostgreSQL: the official image, the only database service.
  EXPECT_EQ(YamlDocument::Scalar(yaml_.Get(Service("db"), "image")).rfind("postgres:15", 0), 0u);
  std::set<std::string> db_urls, storage_mounts;
  for (const auto& name : servers) {
    yaml_node_t* s = Service(name);
    db_urls.insert(YamlDocument::Scalar(yaml_.Get(yaml_.Get(s, "environment"), "TELERAD_DB_URL")));
    for (const auto& v : yaml_.Items(yaml_.Get(s, "volumes")))
      if (v.find(":/var/lib/telerad/storage") != std::string::npos) storage_mounts.insert(v);
    EXPECT_EQ(DependsOn(yaml_, s).count("migrate"), 1u) << name;
    // Clients reach a server only through the balancer.
    EXPECT_EQ(yaml_.Get(s, "ports"), nullptr) << name << " publishes ports of its own";
  }
  ASSERT_EQ(db_urls.size(), 1u);
  EXPECT_NE(db_urls.begin()->find("host=db"), std::string::npos) << *db_urls.begin();
  ASSERT_EQ(storage_mounts.size(), 1u) << "the servers must mount one storage volume";
  const std::string volume = storage_mounts.begin()->substr(0, storage_mounts.begin()->find(':'));
  EXPECT_NE(yaml_.Get(yaml_.root(), "volumes"), nullptr);
  const auto volumes = yaml_.Keys(yaml_.Get(yaml_.root(), "volumes"));
  EXPECT_NE(std::find(volumes.begin(), volumes.end(), volume), volumes.end())
      << volume << " is not a named volume";
}

TEST_F(ComposeTopologyTest, HaproxyFrontsBothServersWithAConfigHaproxyAccepts) {
  ASSERT_TRUE(yaml_.ok()) << yaml_.error();
  yaml_node_t* haproxy = Service("haproxy");
  ASSERT_NE(haproxy, nullptr);
  const std::vector<std::string> servers = Servers();
  for (const auto& name : servers) EXPECT_EQ(DependsOn(yaml_, haproxy).count(name), 1u) << name;
  const auto ports = yaml_.Items(yaml_.Get(haproxy, "ports"));
  EXPECT_EQ(std::count(ports.begin(), ports.end(), "11112:11112"), 1) << "DICOM door";
  EXPECT_EQ(std::count(ports.begin(), ports.end(), "127.0.0.1:8080:8080"), 1) << "HTTP door";

  // The config it mounts exists in the repository.
  std::string config;
  for (const auto& v : yaml_.Items(yaml_.Get(haproxy, "volumes")))
    if (v.find(":/usr/local/etc/haproxy/haproxy.cfg") != std::string::npos)
      config = v.substr(0, v.find(':'));
  ASSERT_FALSE(config.empty()) << "haproxy mounts no config";
  ASSERT_EQ(config.rfind("./", 0), 0u) << config;
  const std::string path = DockerDir() + "/" + config.substr(2);
  ASSERT_TRUE(std::filesystem::exists(path)) << path;

  // Its servers are the compose services, by the names compose gives it.
  std::map<std::string, std::string> env;
  yaml_node_t* environment = yaml_.Get(haproxy, "environment");
  for (const auto& key : yaml_.Keys(environment))
    env[key] = YamlDocument::Scalar(yaml_.Get(environment, key));
  std::set<std::string> named = {env["TELERAD_LB_SERVER1"], env["TELERAD_LB_SERVER2"]};
  EXPECT_EQ(named, std::set<std::string>(servers.begin(), servers.end()));

  // Each server trusts X-Forwarded-For from the balancer's fixed address only.
  const std::string balancer_address = YamlDocument::Scalar(
      yaml_.Get(yaml_.Get(yaml_.Get(haproxy, "networks"), "backend"), "ipv4_address"));
  EXPECT_FALSE(balancer_address.empty());
  for (const auto& name : servers)
    EXPECT_EQ(YamlDocument::Scalar(yaml_.Get(yaml_.Get(Service(name), "environment"),
                                             "TELERAD_HTTP_TRUSTED_PROXIES")),
              balancer_address)
        << name;

  // Both doors, both servers in each backend, health from /readyz.
  const std::string text = ReadFile(path);
  EXPECT_NE(text.find("mode tcp"), std::string::npos);
  EXPECT_NE(text.find("mode http"), std::string::npos);
  EXPECT_NE(text.find("uri /readyz"), std::string::npos);
  EXPECT_NE(text.find("server telerad1 "), std::string::npos);
  EXPECT_NE(text.find("server telerad2 "), std::string::npos);

  if (!HaproxyInstalled()) GTEST_SKIP() << "haproxy is not installed (./scripts/test installs it)";
  std::string assignments;
  for (const auto& [k, v] : env) assignments += k + "=" + Quote(v) + " ";
  CommandResult check = RunCommand("env " + assignments + "haproxy -c -f " + Quote(path));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("Configuration file is valid"), std::string::npos) << check.output;
}

}  // namespace
}  // namespace telerad::testing
