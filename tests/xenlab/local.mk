# The real-Xen lab: `make check-xen` (see tests/xenlab/README.md).
#
# Other parts of the tree register what the lab needs by setting, in their
# own local.mk (all optional):
#   <daemon>_guest_progs    static guest programs, put in the domU's /bin
#   <daemon>_guest_roles    guest role scripts (domU /etc/xenlab/roles/)
#   <daemon>_dom0_progs     extra dom0 test tools (dom0 /xenlab/bin, not installed)
#   <daemon>_lab_cases      case scripts (dom0 /xenlab/cases/)
#   <daemon>_dom0_packages  extra Debian packages for the dom0 image
# for <daemon> in xentropyd xenconsoled jitsud netbackd (and lib, tests).
# Every tests/xenlab/cases/*.sh and tests/xenlab/roles/* is included anyway.  Guest programs must
# be linked -static without sanitizers, e.g.
#   check_PROGRAMS += xentropyd/xent-guest
#   xentropyd_xent_guest_CFLAGS = $(WARN_CFLAGS) $(XUD_CFLAGS)
#   xentropyd_xent_guest_LDFLAGS = -static
#   xentropyd_xent_guest_LDADD = $(xenlab_static_libs)

# What `pkg-config --static --libs xenvchan xenstore xengnttab xenevtchn`
# gives for Xen 4.17, in link order.
xenlab_static_libs = -lxenvchan -lxenstore -lxengnttab -lxenevtchn \
	-lxentoollog -lxentoolcore

xenlab_own_guest_progs = tests/xenlab/guest/xlab-gxs tests/xenlab/guest/xlab-vchan \
	tests/xenlab/guest/xlab-ethtool
xenlab_own_dom0_progs = tests/xenlab/tools/xlab-sdwait tests/xenlab/tools/xlab-hold \
	$(xenlab_helpers)
# Shell helpers that cases source (". /xenlab/bin/NAME").
xenlab_helpers = tests/xenlab/helpers/xentropyd-lab.sh \
	tests/xenlab/helpers/xcd-lab.sh \
	tests/xenlab/helpers/uk-lab.sh
xenlab_own_roles = tests/xenlab/roles/idle tests/xenlab/roles/vchan-server \
	tests/xenlab/roles/vchan-client tests/xenlab/roles/vchan-both
xenlab_own_cases = tests/xenlab/cases/lab-boot.sh tests/xenlab/cases/guest-boot.sh \
	tests/xenlab/cases/lab-vchan.sh tests/xenlab/cases/daemon-xentropyd.sh \
	tests/xenlab/cases/daemon-xenconsoled.sh tests/xenlab/cases/daemon-jitsud.sh \
	tests/xenlab/cases/daemon-netbackd.sh

xenlab_guest_progs = $(guest_guest_progs) $(lib_guest_progs) $(tests_guest_progs) $(unikernel_guest_progs) $(xentropyd_guest_progs) $(xenconsoled_guest_progs) \
	$(jitsud_guest_progs) $(netbackd_guest_progs) $(xenlab_own_guest_progs)
xenlab_guest_roles = $(lib_guest_roles) $(tests_guest_roles) $(unikernel_guest_roles) $(xentropyd_guest_roles) $(xenconsoled_guest_roles) \
	$(jitsud_guest_roles) $(netbackd_guest_roles) $(xenlab_own_roles)
xenlab_dom0_progs = $(lib_dom0_progs) $(tests_dom0_progs) $(unikernel_dom0_progs) $(xentropyd_dom0_progs) $(xenconsoled_dom0_progs) \
	$(jitsud_dom0_progs) $(netbackd_dom0_progs) $(xenlab_own_dom0_progs) \
	$(xenlab_own_guest_progs)
xenlab_cases = $(xenlab_own_cases) $(lib_lab_cases) $(tests_lab_cases) $(unikernel_lab_cases) $(xentropyd_lab_cases) $(xenconsoled_lab_cases) \
	$(jitsud_lab_cases) $(netbackd_lab_cases)
xenlab_dom0_packages = $(lib_dom0_packages) $(tests_dom0_packages) $(unikernel_dom0_packages) $(xentropyd_dom0_packages) $(xenconsoled_dom0_packages) \
	$(jitsud_dom0_packages) $(netbackd_dom0_packages)

# Built by `make check` too, so that they always compile; static, and
# without the sanitizer flags (the guests have no libasan).
check_PROGRAMS += $(xenlab_own_guest_progs) tests/xenlab/tools/xlab-sdwait \
	tests/xenlab/tools/xlab-hold
EXTRA_DIST += $(xenlab_helpers)
tests_xenlab_guest_xlab_gxs_SOURCES = tests/xenlab/guest/xlab-gxs.c
tests_xenlab_guest_xlab_gxs_CFLAGS = $(WARN_CFLAGS) $(XENSTORE_CFLAGS)
tests_xenlab_guest_xlab_gxs_LDFLAGS = -static
tests_xenlab_guest_xlab_gxs_LDADD = $(xenlab_static_libs)
tests_xenlab_guest_xlab_vchan_SOURCES = tests/xenlab/guest/xlab-vchan.c
tests_xenlab_guest_xlab_vchan_CFLAGS = $(WARN_CFLAGS) $(XENVCHAN_CFLAGS)
tests_xenlab_guest_xlab_vchan_LDFLAGS = -static
tests_xenlab_guest_xlab_vchan_LDADD = $(xenlab_static_libs)
tests_xenlab_guest_xlab_ethtool_SOURCES = tests/xenlab/guest/xlab-ethtool.c
tests_xenlab_guest_xlab_ethtool_CFLAGS = $(WARN_CFLAGS)
tests_xenlab_guest_xlab_ethtool_LDFLAGS = -static
tests_xenlab_tools_xlab_sdwait_SOURCES = tests/xenlab/tools/xlab-sdwait.c
tests_xenlab_tools_xlab_sdwait_CFLAGS = $(WARN_CFLAGS)
tests_xenlab_tools_xlab_sdwait_LDFLAGS = -static
tests_xenlab_tools_xlab_hold_SOURCES = tests/xenlab/tools/xlab-hold.c
tests_xenlab_tools_xlab_hold_CFLAGS = $(WARN_CFLAGS)
tests_xenlab_tools_xlab_hold_LDFLAGS = -static
tests_xenlab_tools_xlab_hold_LDADD = $(xenlab_static_libs)

xenlab_scripts = tests/xenlab/run tests/xenlab/build-base tests/xenlab/lib.sh \
	tests/xenlab/dom0/init tests/xenlab/dom0/xlab-run-cases tests/xenlab/domu/init \
	tests/xenlab/dom0/sd-init tests/xenlab/dom0/xlab-sd-main
dist_noinst_SCRIPTS += $(xenlab_scripts)
EXTRA_DIST += tests/xenlab/README.md tests/xenlab/dom0-packages \
	tests/xenlab/roles tests/xenlab/cases tests/xenlab/dom0/systemd

# xenlab-stage: xud installed as in a dom0 (DESTDIR), plus a manifest of
# everything else the lab images need.  check-xen and bench run from it.
xenlab_stage = $(abs_top_builddir)/tests/xenlab/stage
xenlab_run = $(abs_top_srcdir)/tests/xenlab/run --stage $(xenlab_stage)

xenlab_abs = for f in $$(printf '%s\n' $$list | awk '!s[$$0]++'); do \
	  if test -f "$$f"; then echo "$(abs_top_builddir)/$$f"; \
	  else echo "$(abs_top_srcdir)/$$f"; fi; done | tr '\n' ' '

# The units are generated with the installed paths in them: remove them
# around the install, so that they are made for prefix=/usr here and for
# the configured prefix again afterwards.
xenlab-stage: all $(xenlab_guest_progs) $(xenlab_dom0_progs)
	$(AM_V_GEN)rm -rf $(xenlab_stage) $(unit_files:.in=) && $(MKDIR_P) $(xenlab_stage)/root && \
	$(MAKE) $(AM_MAKEFLAGS) install DESTDIR=$(xenlab_stage)/root prefix=/usr \
	  exec_prefix=/usr sysconfdir=/etc localstatedir=/var \
	  >$(xenlab_stage)/install.log 2>&1 || \
	  { cat $(xenlab_stage)/install.log; echo "xenlab: make install failed"; exit 1; }; \
	rm -f $(unit_files:.in=); \
	{ list='$(xenlab_guest_progs)'; echo "XENLAB_GUEST_PROGS='$$($(xenlab_abs))'"; \
	  list='$(xenlab_guest_roles)'; list="$$list $$(cd $(srcdir) && ls tests/xenlab/roles/* | grep -v '~$$')"; echo "XENLAB_GUEST_ROLES='$$($(xenlab_abs))'"; \
	  list='$(xenlab_dom0_progs)'; echo "XENLAB_DOM0_PROGS='$$($(xenlab_abs))'"; \
	  list='$(xenlab_cases)'; list="$$list $$(cd $(srcdir) && ls tests/xenlab/cases/*.sh)"; echo "XENLAB_CASE_FILES='$$($(xenlab_abs))'"; \
	  echo "XENLAB_EXTRA_PACKAGES='$(xenlab_dom0_packages)'"; \
	} > $(xenlab_stage)/manifest

# make check-xen [CASES='glob ...']: boot the lab once, run the cases.
check-xen: xenlab-stage
	CASES='$(CASES)' $(xenlab_run) --results $(abs_top_builddir)/tests/xenlab/results

clean-local: clean-xenlab
clean-xenlab:
	-rm -rf $(xenlab_stage) tests/xenlab/results

.PHONY: check-xen xenlab-stage clean-xenlab
