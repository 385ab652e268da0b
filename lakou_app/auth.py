"""Who may change data. Viewing needs nothing; changing data asks for the staff passcode when the
town set one (a hash in .streamlit/secrets.toml or $LAKOU_STAFF_PASSCODE_HASH), or uses st.login
when an OIDC provider is configured ([auth] in secrets.toml). Every change records who made it,
and under which authority: the staff of one town, or of the county (县). The store takes changes
only from the store.Operator made here (how the person was recognised is its `identity`).

In the county edition, one database holds several towns and each authority has its own
passcode, `[staff_passcodes]` in secrets.toml ("温溪镇" = "<hash>", "县" = "<hash>"), or with
st.login, `[staff_towns]` maps each signed-in e-mail to its town or 县. A town's own installation
needs neither: its one passcode is its own town's. The store refuses a change of another town's
data whatever a page shows (store.authority)."""
from __future__ import annotations

import logging
import math
import os
import secrets
import time

import streamlit as st

from lakou_metrics import store
from lakou_metrics.domain import labels
from lakou_metrics.passcode import AttemptGuard, check_passcode

from .data import current_town, towns
from .ui import plain

_log = logging.getLogger("lakou_app.auth")


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml at all
        return None


def passcode_hash() -> str | None:
    return os.environ.get("LAKOU_STAFF_PASSCODE_HASH") or _secret("staff_passcode_hash")


def authority_passcodes() -> dict[str, str]:
    """{authority (a town, or 县): passcode hash}: the county edition's [staff_passcodes], else the
    one passcode of the home town."""
    table = _secret("staff_passcodes")
    if table:
        return {str(k): str(v) for k, v in dict(table).items()}
    single = passcode_hash()
    return {store.home_town(): single} if single else {}


def _signed_in_authority(email: str | None) -> str:
    table = _secret("staff_towns")
    if table and email:
        return str(dict(table).get(email) or "")
    return store.home_town()


def oidc_configured() -> bool:
    auth = _secret("auth")
    return bool(auth and auth.get("client_id"))


def staff_operator() -> store.Operator | None:
    """The member of staff allowed to change data now (a name and the authority they act under),
    or None (the page then shows how to sign in and stops its data-changing parts)."""
    if oidc_configured():
        if not st.user.is_logged_in:
            st.info("修改数据需要登录。")
            st.button("登录", on_click=st.login, type="primary")
            return None
        authority = _signed_in_authority(st.user.get("email"))
        if not authority:
            st.warning("您的账号没有对应的乡镇，不能修改数据。请联系维护人员在 staff_towns 中登记。")
            return None
        email = st.user.get("email")
        # The provider's subject identifies an account that shows no e-mail.
        return store.Operator.signed_in(str(st.user.get("name") or email), authority,
                                        labels.IDENTITY_OIDC.format(email=email or st.user.get("sub") or ""))
    if st.session_state.get("staff_operator"):
        operator = _following_town(st.session_state["staff_operator"])
        st.session_state["staff_operator"] = operator
        with st.container(horizontal=True):
            st.caption(f"操作人：{plain(operator.name)}（{operator.describe()}）")
            if st.button("退出", key="staff_logout"):
                del st.session_state["staff_operator"]
                st.rerun()
        return operator
    codes = authority_passcodes()
    if not codes:
        st.warning("本看板没有设置工作人员口令：能打开本页面的人都能导入、修改和撤销数据。"
                   "看板默认只在本机（127.0.0.1）开放；设置口令的方法见 README。")
    with st.form("staff_login"):
        name = st.text_input("操作人姓名", help="记录在导入历史中")
        # Without passcodes a person acts for the town shown; in the county edition they may say
        # they act for the county instead (to import a file of several towns).
        authorities = list(codes) or ([current_town(), store.COUNTY] if len(towns()) > 1 else [current_town()])
        authority = (st.selectbox("单位", authorities, format_func=lambda a: "县级" if a == store.COUNTY else a,
                                  index=authorities.index(current_town()) if current_town() in authorities else 0,
                                  help=None if codes else "导入分属几个乡镇的县级文件时选“县级”")
                     if len(authorities) > 1 else authorities[0])
        code = st.text_input("工作人员口令", type="password") if codes else ""
        if st.form_submit_button("开始操作", type="primary"):
            if not name.strip():
                st.error("请填写操作人姓名。")
            elif codes and not _passcode_accepted(code, codes[authority], name.strip()):
                pass  # _passcode_accepted said why
            else:
                # Without passcodes anyone may change anything (the warning above says so).
                st.session_state["staff_operator"] = store.Operator.signed_in(
                    name.strip(), authority, labels.IDENTITY_PASSCODE if codes else labels.IDENTITY_NO_PASSCODE)
                st.rerun()
    return None


def _following_town(operator: store.Operator) -> store.Operator:
    """A town's operator recognised by name only (no passcodes) acts for the town shown, also after
    the sidebar shows another: a passcode would not have told the towns apart either. Others as
    they signed in."""
    if operator.identity != labels.IDENTITY_NO_PASSCODE or operator.authority in (store.COUNTY, current_town()):
        return operator
    return store.Operator.signed_in(operator.name, current_town(), operator.identity)


def session_authority() -> str | None:
    """The authority of the staff signed in in this session (a town, or store.COUNTY), without
    drawing anything; None when nobody is. A county sign-in lands on 县域."""
    if oidc_configured():
        return _signed_in_authority(st.user.get("email")) or None if st.user.is_logged_in else None
    operator = st.session_state.get("staff_operator")
    return operator.authority if operator else None


def may_change(operator: store.Operator | None) -> bool:
    """True when `operator` may change the town shown; else says why in the page (the store
    would refuse anyway)."""
    if operator is None:
        return False
    town = current_town()
    if operator.may_change(town):
        return True
    st.warning(f"您是{operator.authority}的工作人员，只能修改{operator.authority}的数据；"
               f"现在显示的是{town}，只能查看。")
    return False


@st.cache_resource(show_spinner=False)
def _attempts() -> AttemptGuard:
    """One count of failed passcode attempts for the whole server (every session shares it)."""
    return AttemptGuard()


def _attempt_keys() -> list[str]:
    """This browser session, and the address it connects from (a new session from the same
    place inherits the count)."""
    session = st.session_state.setdefault("staff_attempt_key", secrets.token_hex(8))
    try:
        address = st.context.ip_address
    except Exception:
        address = None
    return [f"session:{session}", f"client:{address}" if address else None]


def _passcode_accepted(code: str, stored: str, who: str) -> bool:
    """Check a passcode under the attempt limits; says in the page why it was not accepted."""
    guard, keys, now = _attempts(), _attempt_keys(), time.time()
    wait = guard.wait_seconds(keys, now)
    if wait > 0:
        locked = guard.locked_out(keys, now)
        st.error(f"口令错误次数过多，{'已锁定，' if locked else ''}请在 {math.ceil(wait)} 秒后再试。"
                 + ("（锁定时间可由维护人员重启看板解除）" if locked else ""))
        _log.warning("passcode attempt refused while waiting (%s, operator %r)", keys, who)
        return False
    if check_passcode(code, stored):
        guard.record_success(keys)
        _log.info("passcode accepted (%s, operator %r)", keys, who)
        return True
    failures = guard.record_failure(keys, now)
    _log.warning("wrong passcode (%s, operator %r, failures %d)", keys, who, failures)
    left = guard.lockout_after - failures
    warning = f"再错 {left} 次将锁定 {int(guard.lockout_seconds // 60)} 分钟。" if 0 < left <= 5 else ""
    st.error("口令不正确。" + warning)
    return False
