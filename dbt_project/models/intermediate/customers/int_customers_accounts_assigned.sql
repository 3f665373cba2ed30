{# The Account of every surviving customer. A company (normalised: case, accents, punctuation
   and legal suffixes, see macros/text.sql) is one business Account, named with the spelling most
   of its customers use (ties: the earliest customer's); a customer without a company gets an
   Account named after them. The Account's Stames id says which: `company:<key>` or
   `customer:<id>`. A company whose key is that of exactly one Account already in the org
   (stg_org__accounts) is that Account (`existing_account_id`, keeping the org's name); two or more
   org Accounts with the key are not guessed between, and a customer's own Account never matches. #}
with survivors as (
    select
        *,
        {{ normalised_company('company') }} as company_key
    from {{ ref('int_customers_survivors') }}
),

spellings as (
    select company_key, company, count(*) as customers, min(created_at) as first_seen
    from survivors
    where company_key is not null
    group by company_key, company
),

company_names as (
    select company_key, max_by(company, {{ row_key(['customers', '-' ~ epoch_seconds('first_seen')]) }}) as account_name
    from spellings
    group by company_key
),

org_matches as (
    select company_key, min(account_id) as account_id, min(account_name) as account_name
    from {{ ref('stg_org__accounts') }}
    where company_key is not null
    group by company_key
    having count(*) = 1
)

select
    survivors.customer_id,
    survivors.company_key,
    case
        -- Stames_Id__c holds 64 characters: a longer company key is named by its md5
        when length(survivors.company_key) <= 56 then 'company:' || survivors.company_key
        when survivors.company_key is not null then 'company:' || md5(survivors.company_key)
        else 'customer:' || cast(survivors.customer_id as string)
    end as account_stames_id,
    coalesce(
        org_matches.account_name, company_names.account_name, survivors.name, 'Customer ' || cast(survivors.customer_id as string)
    ) as account_name,
    survivors.company_key is not null as is_business,
    org_matches.account_id as existing_account_id
from survivors
left join company_names on company_names.company_key = survivors.company_key
left join org_matches on org_matches.company_key = survivors.company_key
