{# The org's Accounts with their company key (the same normalisation as Stames companies). No
   copy in the warehouse (a bare `dbt build` before any `stames-sf transform`): no Accounts. #}
{% set accounts = source('org', 'accounts') %}

with

source as (

    {% if relation_exists(accounts) -%}
    select id, name from {{ accounts }}
    {%- else -%}
    select null::varchar as id, null::varchar as name where false
    {%- endif %}

)

select
    id as account_id,
    name as account_name,
    {{ normalised_company('name') }} as company_key
from source
