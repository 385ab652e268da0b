"""The baseline page of bench_county: a minimal Streamlit page with one chart and one control,
on the same machine and Streamlit as the app."""
import altair as alt
import pandas as pd
import streamlit as st

year = st.selectbox("年份", [2024, 2023, 2022])
st.title(f"最小页面 · {year}年")
data = pd.DataFrame({"月份": [f"{m}月" for m in range(1, 13)], "产值": [100 + m * (year - 2020) for m in range(1, 13)]})
st.altair_chart(alt.Chart(data).mark_bar().encode(x="月份", y="产值"), width="stretch")
