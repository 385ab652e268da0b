"""Who may change data. Viewing needs nothing; changing data asks for the staff passcode when the
town set one (a hash in .streamlit/secrets.toml or $LAKOU_STAFF_PASSCODE_HASH), or uses st.login
when an OIDC provider is configured ([auth] in secrets.toml). Every change records who made it."""
from __future__ import annotations

import os

import streamlit as st

from lakou_metrics.passcode import check_passcode


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml at all
        return None


def passcode_hash() -> str | None:
    return os.environ.get("LAKOU_STAFF_PASSCODE_HASH") or _secret("staff_passcode_hash")


def oidc_configured() -> bool:
    auth = _secret("auth")
    return bool(auth and auth.get("client_id"))


def staff_operator() -> str | None:
    """The name of the member of staff allowed to change data now, or None (the page then shows
    how to sign in and stops its data-changing parts)."""
    if oidc_configured():
        if not st.user.is_logged_in:
            st.info("修改数据需要登录。")
            st.button("登录", on_click=st.login, type="primary")
            return None
        return str(st.user.get("name") or st.user.get("email"))
    if st.session_state.get("staff_operator"):
        with st.container(horizontal=True):
            st.caption(f"操作人：{st.session_state['staff_operator']}")
            if st.button("退出", key="staff_logout"):
                del st.session_state["staff_operator"]
                st.rerun()
        return st.session_state["staff_operator"]
    stored = passcode_hash()
    if not stored:
        st.warning("本看板没有设置工作人员口令：能打开本页面的人都能导入、修改和撤销数据。"
                   "看板默认只在本机（127.0.0.1）开放；设置口令的方法见 README。")
    with st.form("staff_login"):
        name = st.text_input("操作人姓名", help="记录在导入历史中")
        code = st.text_input("工作人员口令", type="password") if stored else ""
        if st.form_submit_button("开始操作", type="primary"):
            if not name.strip():
                st.error("请填写操作人姓名。")
            elif stored and not check_passcode(code, stored):
                st.error("口令不正确。")
            else:
                st.session_state["staff_operator"] = name.strip()
                st.rerun()
    return None
