# lit configuration for dfc's golden, diagnostics and end-to-end tests.
# Substitutions: %dfc (the compiler), FileCheck, %python, %samples (samples/ dir), %S/%t as usual.
import os
import lit.formats

config.name = "dfc"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".json", ".test", ".cpp"]
config.excludes = ["Inputs", "inputs", "expected", "node_modules", "package.json", "package-lock.json"]
config.test_source_root = os.path.join(config.dfc_src_root, "tests")
config.test_exec_root = os.path.join(config.dfc_obj_root, "tests")
config.substitutions.append(("%dfc", config.dfc_bin))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%samples", os.path.join(config.dfc_src_root, "samples")))
config.substitutions.append(("%scripts", os.path.join(config.dfc_src_root, "scripts")))
config.environment["FILECHECK"] = config.filecheck
config.environment["PATH"] = os.path.dirname(config.filecheck) + os.pathsep + config.environment.get("PATH", os.environ.get("PATH", ""))
# Jobs built by tests share one build cache inside the build tree.
config.environment["DFC_CACHE_DIR"] = os.path.join(config.dfc_obj_root, "dfc-cache")
for v in ["HOME", "TMPDIR", "CCACHE_DIR"]:
    if v in os.environ:
        config.environment[v] = os.environ[v]
if config.sanitize:
    # Instrumented jobs compile as one unit (the two-part compile costs ~15% more CPU in total;
    # the release stage covers it): these stages build about a hundred jobs.
    config.environment["DFC_JOB_PARTS"] = "1"
    config.available_features.add("sanitizer")
    config.available_features.add("sanitize-" + config.sanitize)
else:
    config.available_features.add("no-sanitizer")
if config.with_dsl.upper() in ("ON", "1", "TRUE", "YES"):
    config.available_features.add("dsl")
