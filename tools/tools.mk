# tools/tools.mk - make rules for the image builder behind `tools/freebeam
# image`: compile tools/image/src into $(B)/tools/ebin.  tools/freebeam also
# compiles on demand (so a fresh clone works without make); this rule lets
# image rules depend on an up-to-date builder:
#   $(B)/images/x.img: systems/x.config $(FREEBEAM_TOOLS) ...
#           tools/freebeam image $< -o $@ ...
FREEBEAM_TOOLS_SRC := $(wildcard tools/image/src/*.erl tools/image/src/*.hrl)
FREEBEAM_TOOLS := $(B)/tools/ebin/.built tools/freebeam

$(B)/tools/ebin/.built: $(FREEBEAM_TOOLS_SRC)
	@mkdir -p $(@D)
	erlc -I tools/image/src -o $(@D) tools/image/src/*.erl
	@touch $@

.PHONY: tools
tools: $(B)/tools/ebin/.built
all: tools

# `make mix-task`: installs the `mix freebeam.image` task (tools/mix_freebeam,
# docs/elixir.md) as a Mix archive in $MIX_HOME (default ~/.mix), built
# under $(B)/mix_freebeam so the source tree stays clean.
.PHONY: mix-task
mix-task:
	cd tools/mix_freebeam && MIX_ENV=prod MIX_BUILD_PATH=$(abspath $(B))/mix_freebeam/_build \
	  mix do archive.build -o $(abspath $(B))/mix_freebeam/mix_freebeam.ez, \
	  archive.install $(abspath $(B))/mix_freebeam/mix_freebeam.ez --force
