with source as (select * from {{ source('raw_stames', 'customers__identities') }}),

renamed as (
    select
        -- ids
        _dlt_parent_id as customer_dlt_id,
        -- strings
        type as identity_type,
        value as identity_value,
        -- booleans
        coalesce({{ adapter.quote('primary') }}, false) as is_primary,
        coalesce(verified, false) as is_verified
    from source
)

select * from renamed
