{# The org's Accounts with their company key (the same normalisation as Stames companies). No
   copy in the warehouse (a bare `dbt build` before any `stames-sf transform`): no Accounts.
   A table on Spark: a view there cannot call the session's Python functions (`nfc`). #}
{{ config(materialized='table' if target.type == 'spark' else 'view') }}
{% set accounts = source('org', 'accounts') %}

with

source as (

    {% if relation_exists(accounts) -%}
    select id, name from {{ accounts }}
    {%- else -%}
    select null::string as id, null::string as name where false
    {%- endif %}

)

select
    id as account_id,
    name as account_name,
    {{ normalised_company('name') }} as company_key
from source
