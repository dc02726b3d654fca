# examples.mk - the examples that `make` builds into images (docs/ssh.md).
#
# examples/ssh_shell: an SSH daemon giving the host's OpenSSH client a
# remote Erlang shell on the device.  Its keys are made here, at build
# time, with the host's ssh-keygen, never committed: the daemon's host key
# (ECDSA P-256) and a client key pair (Ed25519) whose public half the
# daemon authorises; SSH_AUTHORIZED_KEYS=FILE authorises more (your own
# ~/.ssh/id_ed25519.pub, say).  The keys stay across `make` runs (delete
# build/examples/ssh-keys for new ones).
#   make ssh-shell      boots it with the guest's port 22 on the host's
#                       127.0.0.1:$(SSH_PORT); it prints the ssh command.

SSH_SHELL := $(B)/examples/ssh_shell
SSH_KEYS := $(B)/examples/ssh-keys
SSH_PORT ?= 2222
SSH_AUTHORIZED_KEYS ?=

$(SSH_KEYS)/host_key:
	@mkdir -p $(@D) && rm -f $@ $@.pub
	ssh-keygen -q -t ecdsa -b 256 -m PEM -N '' -C freebeam-ssh-shell-host -f $@

$(SSH_KEYS)/id_ed25519:
	@mkdir -p $(@D) && rm -f $@ $@.pub
	ssh-keygen -q -t ed25519 -N '' -C freebeam-ssh-shell-client -f $@

# The application directory that `image --app` takes: ebin/ and priv/.
$(SSH_SHELL)/ebin/ssh_shell.app: $(wildcard examples/ssh_shell/src/*) $(SSH_KEYS)/host_key \
    $(SSH_KEYS)/id_ed25519 $(SSH_AUTHORIZED_KEYS)
	@rm -rf $(SSH_SHELL) && mkdir -p $(SSH_SHELL)/ebin $(SSH_SHELL)/priv/system $(SSH_SHELL)/priv/user
	erlc -o $(SSH_SHELL)/ebin examples/ssh_shell/src/*.erl
	cp $(SSH_KEYS)/host_key $(SSH_SHELL)/priv/system/ssh_host_ecdsa_key
	cp $(SSH_KEYS)/host_key.pub $(SSH_SHELL)/priv/system/ssh_host_ecdsa_key.pub
	cat $(SSH_KEYS)/id_ed25519.pub $(SSH_AUTHORIZED_KEYS) >$(SSH_SHELL)/priv/user/authorized_keys
	cp examples/ssh_shell/src/ssh_shell.app.src $@

# With the rng driver (real entropy for the keys of each session) and the
# net driver (eth0, DHCP on QEMU's user network).
$(B)/images/ssh_shell.img: $(SSH_SHELL)/ebin/ssh_shell.app beam/rng.config beam/net.config $(ERTS_BEAM) \
    $(DRIVERS_DIR)/rng.elf $(DRIVERS_DIR)/net.elf $(B)/kernel/kernel.elf $(FREEBEAM_TOOLS) $(SDK_DONE)
	@mkdir -p $(@D)
	tools/freebeam image --app $(SSH_SHELL) -o $@ --system beam/rng.config --system beam/net.config \
	  --search $(DRIVERS_DIR)
IMAGES += $(B)/images/ssh_shell.img

.PHONY: ssh-shell
ssh-shell: $(B)/images/ssh_shell.img
	@echo "ssh-shell: once the console says the daemon listens, from another terminal:"
	@echo "  ssh -p $(SSH_PORT) -i $(SSH_KEYS)/id_ed25519 -o UserKnownHostsFile=$(SSH_KEYS)/known_hosts 127.0.0.1"
	@printf '[127.0.0.1]:%s %s\n' $(SSH_PORT) "$$(cut -d' ' -f1,2 $(SSH_KEYS)/host_key.pub)" >$(SSH_KEYS)/known_hosts
	tools/freebeam run $< --hostfwd tcp:127.0.0.1:$(SSH_PORT)-:22
