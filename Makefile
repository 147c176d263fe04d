# 典型示范故事库 — the two commands a fresh clone needs: `make serve` and `make test`.
# Everything installs into .venv on first use (python3 >= 3.10, make and git are all you need).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Preview only on this machine: not from the environment (a HOST=0.0.0.0 there must not leak). Comments stay on
# their own lines: make keeps the spaces before a trailing comment in the value.
HOST   := 127.0.0.1
PORT   ?= 8000
# We pin mkdocs<2 on purpose; its banner about MkDocs 2 only confuses editors.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install bytecode serve cms site check test lint test-fast browser-deps node-deps bench bench-serve bench-check clean

help:
	@echo "make serve   构建并在 http://$(HOST):$(PORT) 预览（首次运行会自动安装依赖到 .venv）"
	@echo "make test    运行全部测试（含浏览器测试）"
	@echo "make cms     预览并在 http://localhost:$(PORT)/admin/ 用网页表单编辑本地仓库（需要 node）"
	@echo "make check   检查故事库"
	@echo "make site    构建公开网站到 site/"
	@echo "make bench   性能基准（打印表格；BENCH_ARGS=\"--sizes 1000\" 可只测一种规模）"
	@echo "make bench-serve  预览（make serve）中保存一个故事到页面更新的耗时"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "需要 Python 3.10 或更高版本（当前：$$($(PYTHON) --version 2>&1)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

install: $(STAMP)

# The package runs from scripts/ (an editable install), where pip compiles nothing. Where PYTHONDONTWRITEBYTECODE is
# set (some CI images, this project's VM) every Python process would compile its ~100 modules again: ~0.1 s before
# each build and in each of its helper processes. compileall writes them once, and later only the changed files.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q scripts/exemplars

serve: bytecode
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:$(PORT)

# The web form (/admin/, Decap CMS) against this working tree: decap-server in `fs` mode writes the files straight
# here; the preview rebuilds as they change. Decap uses the local server only when the page is on localhost.
# decap-server listens on 8081, the plugin's `cms_local_port` default (change both together).
cms: bytecode node-deps
	@test -f node_modules/decap-server/dist/index.js || \
		{ echo "make cms 需要 node 和 npm（sudo apt-get install nodejs npm），再运行 npm ci" >&2; exit 1; }
	@echo "网页表单：http://localhost:$(PORT)/admin/ （点“登录”即可，保存的文件直接写入本仓库）"
	@MODE=fs GIT_REPO_DIRECTORY="$(CURDIR)" PORT=8081 BIND_HOST=127.0.0.1 node node_modules/decap-server/dist/index.js & \
		server=$$!; trap 'kill $$server' EXIT INT TERM; \
		$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:$(PORT)

site: bytecode
	$(BIN)/python scripts/build-site

check: bytecode
	$(BIN)/exemplars check

browser-deps:
	@bash scripts/ensure-browser

# The test tools from npm (package.json: vnu-jar, axe-core), when node is here; without it those tests skip
# locally and fail under CI=true. vnu-jar's install script downloads a JDK unless Java >= 11 is installed, so
# .ci/run installs Java from apt first.
node-deps:
	@if ! command -v npm >/dev/null; then \
		echo "没有 npm：跳过 npm ci，HTML 校验和无障碍测试将跳过（sudo apt-get install nodejs npm）" >&2; \
	elif ! npm ci --no-audit --no-fund --loglevel=error; then \
		if [ "$${CI:-}" = "true" ]; then echo "CI=true：npm ci 失败，退出。" >&2; exit 1; fi; \
		echo "npm ci 失败（离线？）：HTML 校验和无障碍测试将跳过" >&2; \
	fi

test: bytecode browser-deps node-deps lint
	$(BIN)/python -m pytest

# Code style, as the pre-commit hooks check it (ruff, pinned in constraints.txt; settings in pyproject.toml).
# `$(BIN)/ruff format .` fixes the formatting; `ruff check --fix` the import order.
lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

BENCH_ARGS ?=
bench: bytecode browser-deps
	$(BIN)/python scripts/bench $(BENCH_ARGS)

bench-serve: bytecode
	$(BIN)/python tests/benchmarks/bench_serve.py $(BENCH_ARGS)

bench-check: bytecode
	$(BIN)/python tests/benchmarks/bench_check.py $(BENCH_ARGS)

clean:
	rm -rf site .cache .pytest_cache .hypothesis bench-out
