with source as (select * from {{ source('raw_stames', 'account') }}),

renamed as (
    select
        -- ids
        id as account_id,
        -- strings
        subdomain,
        name,
        timezone,
        locale,
        legacy_import__source,
        -- booleans
        coalesce(legacy_import__timestamps_local_time, false) as legacy_import__timestamps_local_time,
        -- timestamps
        {{ utc_from_offset_text('created_at') }} as created_at
    from source
)

select * from renamed
